//! Deciding the verdict. Two pieces: which SDK failure codes are about *integrity* (the file or a
//! manifest changed after signing), and the ordered verdict rules.

use crate::report::{Severity, Status, Verdict};

/// What a failure code means for the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeClass {
    /// A signature, hard binding, hashed URI or the claim's structure does not hold: `tampered`.
    Integrity,
    /// About the signer's certificate or the time-stamp: decided by provcheck's own trust evaluation.
    Credential,
    /// Reported, does not change the verdict (CAWG identity, soft bindings, unknown codes).
    Warning,
}

/// Integrity failure codes (C2PA 2.x "Validation" section: claim signature, hard bindings,
/// hashed URIs, ingredient manifests, claim structure).
const INTEGRITY: &[&str] = &[
    "claimSignature.mismatch",
    "claimSignature.missing",
    "assertion.dataHash.mismatch",
    "assertion.dataHash.malformed",
    "assertion.bmffHash.mismatch",
    "assertion.bmffHash.malformed",
    "assertion.boxesHash.mismatch",
    "assertion.boxesHash.malformed",
    "assertion.boxesHash.unknownBox",
    "assertion.collectionHash.mismatch",
    "assertion.collectionHash.malformed",
    "assertion.collectionHash.invalidURI",
    "assertion.hashedURI.mismatch",
    "hashedURI.mismatch",
    "hashedURI.missing",
    "ingredient.hashedURI.mismatch",
    "ingredient.claimSignature.mismatch",
    "ingredient.claimSignature.missing",
    "ingredient.manifest.mismatch",
    "ingredient.manifest.missing",
    "assertion.missing",
    "assertion.inaccessible",
    "assertion.undeclared",
    "assertion.outsideManifest",
    "assertion.multipleHardBindings",
    "assertion.notRedacted",
    "assertion.selfRedacted",
    "assertion.action.ingredientMismatch",
    "assertion.action.malformed",
    "assertion.action.redactionMismatch",
    "assertion.cbor.invalid",
    "assertion.json.invalid",
    "assertion.required.missing",
    "claim.missing",
    "claim.malformed",
    "claim.cbor.invalid",
    "claim.hardBindings.missing",
    "claim.multiple",
    "claim.required.missing",
    "manifest.compressed.invalid",
    "manifest.multipleParents",
    "manifest.update.invalid",
    "manifest.update.wrongParents",
    "algorithm.unsupported",
];

/// Classify one SDK failure status.
pub fn classify(s: &Status) -> CodeClass {
    let code = s.code.as_str();
    if code.starts_with("signingCredential.")
        || code.starts_with("timeStamp.")
        || code.starts_with("timeOfSigning.")
        || code == "claimSignature.outsideValidity"
        || code == "algorithm.deprecated"
    {
        return CodeClass::Credential;
    }
    if code.starts_with("cawg.") || about_non_binding_assertion(s) {
        return CodeClass::Warning;
    }
    if INTEGRITY.contains(&code) {
        CodeClass::Integrity
    } else {
        CodeClass::Warning
    }
}

/// Classify, knowing whether the manifest fields loaded once CAWG identity decoding was off.
/// In that case the SDK's "Failed to load manifest" failure was about turning an identity
/// assertion into its JSON report, not about the claim (whose signature and hard-binding results
/// are reported separately), so it is a warning.
pub fn classify_in(s: &Status, recovered_without_identity: bool) -> CodeClass {
    if recovered_without_identity && s.explanation.as_deref() == Some("Failed to load manifest") {
        CodeClass::Warning
    } else {
        classify(s)
    }
}

/// A failure whose subject is a CAWG identity or a soft-binding (watermark/fingerprint)
/// assertion: those do not bind the content, so they cannot show tampering.
fn about_non_binding_assertion(s: &Status) -> bool {
    let mut text = String::new();
    if let Some(u) = &s.url {
        text.push_str(u);
    }
    if let Some(e) = &s.explanation {
        text.push(' ');
        text.push_str(e);
    }
    let text = text.to_ascii_lowercase();
    text.contains("cawg.") || text.contains("soft-binding") || text.contains("soft binding")
}

/// The inputs of the verdict rules, already decided by the earlier stages.
#[derive(Clone, Copy, Debug, Default)]
pub struct Findings {
    pub read_error: bool,
    pub no_manifest: bool,
    pub integrity_failure: bool,
    pub mismatch: bool,
    pub trusted: bool,
}

/// Verdict rules, in order: error, unsigned, tampered, mismatched, untrusted, authentic.
pub fn decide(f: &Findings) -> Verdict {
    if f.read_error {
        Verdict::Error
    } else if f.no_manifest {
        Verdict::Unsigned
    } else if f.integrity_failure {
        Verdict::Tampered
    } else if f.mismatch {
        Verdict::Mismatched
    } else if !f.trusted {
        Verdict::Untrusted
    } else {
        Verdict::Authentic
    }
}

/// Severity a classified failure gets in the report.
pub fn severity(class: CodeClass) -> Severity {
    match class {
        CodeClass::Integrity => Severity::Failure,
        CodeClass::Credential => Severity::Info,
        CodeClass::Warning => Severity::Warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(code: &str, url: Option<&str>) -> Status {
        Status {
            code: code.into(),
            url: url.map(str::to_string),
            explanation: None,
            scope: "active".into(),
        }
    }

    #[test]
    fn hard_binding_and_signature_failures_are_integrity() {
        for c in [
            "assertion.dataHash.mismatch",
            "assertion.bmffHash.mismatch",
            "assertion.boxesHash.mismatch",
            "claimSignature.mismatch",
            "assertion.hashedURI.mismatch",
            "ingredient.manifest.missing",
        ] {
            assert_eq!(classify(&st(c, None)), CodeClass::Integrity, "{c}");
        }
    }

    #[test]
    fn credential_codes_do_not_mean_tampering() {
        for c in [
            "signingCredential.untrusted",
            "signingCredential.expired",
            "signingCredential.invalid",
            "timeStamp.untrusted",
            "timeStamp.mismatch",
        ] {
            assert_eq!(classify(&st(c, None)), CodeClass::Credential, "{c}");
        }
    }

    #[test]
    fn cawg_and_soft_binding_failures_are_warnings() {
        assert_eq!(
            classify(&st("cawg.ica.did_unavailable", None)),
            CodeClass::Warning
        );
        let soft = st(
            "claim.malformed",
            Some("self#jumbf=/c2pa/urn:c2pa:x/c2pa.assertions/c2pa.soft-binding"),
        );
        assert_eq!(classify(&soft), CodeClass::Warning);
        let cawg = st(
            "assertion.required.missing",
            Some("self#jumbf=/c2pa/urn:c2pa:x/c2pa.assertions/cawg.identity"),
        );
        assert_eq!(classify(&cawg), CodeClass::Warning);
    }

    #[test]
    fn verdict_order_is_error_unsigned_tampered_mismatched_untrusted_authentic() {
        let all = Findings {
            read_error: true,
            no_manifest: true,
            integrity_failure: true,
            mismatch: true,
            trusted: false,
        };
        assert_eq!(decide(&all), Verdict::Error);
        let f = Findings {
            read_error: false,
            ..all
        };
        assert_eq!(decide(&f), Verdict::Unsigned);
        let f = Findings {
            no_manifest: false,
            ..f
        };
        assert_eq!(decide(&f), Verdict::Tampered);
        let f = Findings {
            integrity_failure: false,
            ..f
        };
        assert_eq!(decide(&f), Verdict::Mismatched);
        let f = Findings {
            mismatch: false,
            ..f
        };
        assert_eq!(decide(&f), Verdict::Untrusted);
        let f = Findings { trusted: true, ..f };
        assert_eq!(decide(&f), Verdict::Authentic);
    }
}
