//! Deciding the verdict. Two pieces: which SDK failure codes are about *integrity* (the file or a
//! manifest changed after signing), and the ordered verdict rules.

use std::collections::HashSet;

use crate::read::jumbf::{self, resolve_uri, Target};
use crate::report::{Severity, Status, Verdict};

/// What a failure code means for the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeClass {
    /// A signature, hard binding, hashed URI or the claim's structure does not hold: `tampered`.
    Integrity,
    /// About the signer's certificate or the time-stamp: decided by provcheck's own trust evaluation.
    Credential,
    /// Reported, does not change the verdict: an intact CAWG identity assertion's own identity
    /// or credential results, unknown provenance of an ingredient, a disallowed metadata field.
    Warning,
    /// A whole-file data-hash mismatch superseded by a verified multi-asset hash (C2PA 2.2).
    Superseded,
}

/// Codes about the signer's credential or the time of signing (C2PA 2.x "Validation of the
/// signing credential", "Time-stamps"). provcheck's own chain evaluation decides trust; these
/// are kept in `validation` and compared in `trust.c2pa_signing_credential`.
pub const CREDENTIAL: &[&str] = &[
    "algorithm.deprecated",
    "claimSignature.insideValidity",
    "claimSignature.outsideValidity",
    "signingCredential.expired",
    "signingCredential.invalid",
    "signingCredential.ocsp.inaccessible",
    "signingCredential.ocsp.notRevoked",
    "signingCredential.ocsp.revoked",
    "signingCredential.ocsp.skipped",
    "signingCredential.ocsp.unknown",
    "signingCredential.trusted",
    "signingCredential.untrusted",
    "timeOfSigning.insideValidity",
    "timeStamp.malformed",
    "timeStamp.mismatch",
    "timeStamp.outsideValidity",
    "timeStamp.trusted",
    "timeStamp.untrusted",
    "timeStamp.validated",
    "assertion.timestamp.malformed",
    "manifest.timestamp.invalid",
    "manifest.timestamp.wrongParents",
];

/// Failure codes that do not say the content or a manifest changed.
pub const NOT_INTEGRITY: &[&str] = &[
    "ingredient.unknownProvenance",
    "manifest.unknownProvenance",
    "manifest.unreferenced",
    "assertion.metadata.disallowed",
    "assertion.dataHash.additionalExclusionsPresent",
];

/// Integrity failure codes (C2PA 2.x "Validation": claim signature, hard bindings, hashed URIs,
/// ingredient manifests, claim structure), the SDK's catch-alls, and provcheck's own. Listed for
/// documentation and for the test that compares them with the pinned SDK's codes: a failure code
/// in none of these lists is an integrity failure too (fail closed).
pub const INTEGRITY: &[&str] = &[
    "claimSignature.mismatch",
    "claimSignature.missing",
    "assertion.dataHash.mismatch",
    "assertion.dataHash.malformed",
    "assertion.dataHash.redacted",
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
    "assertion.action.redacted",
    "assertion.action.redactionMismatch",
    "assertion.cbor.invalid",
    "assertion.json.invalid",
    "assertion.ingredient.malformed",
    "assertion.cloud-data.actions",
    "assertion.cloud-data.hardBinding",
    "assertion.cloud-data.malformed",
    "assertion.required.missing",
    "claim.missing",
    "claim.malformed",
    "claim.cbor.invalid",
    "claim.hardBindings.missing",
    "claim.multiple",
    "claim.required.missing",
    "manifest.compressed.invalid",
    "manifest.inaccessible",
    "manifest.multipleParents",
    "manifest.update.invalid",
    "manifest.update.wrongParents",
    "algorithm.unsupported",
    "general.error",
    "provcheck.manifest.duplicateBox",
    "provcheck.multiAsset.mismatch",
    "provcheck.multiAsset.requiredPartMissing",
];

/// What a status is about, resolved from its JUMBF URI against the manifests of the store (never
/// by a substring of the URI, whose manifest label the signer chose).
pub struct Structure<'a> {
    pub store: &'a jumbf::Store,
    pub active: &'a str,
    /// The manifest fields had to be recovered with CAWG identity decoding off.
    pub recovered_without_identity: bool,
    /// The active manifest's multi-asset hash verified (provcheck's own check).
    pub multi_asset_verified: bool,
}

impl Structure<'_> {
    fn labels(&self) -> HashSet<&str> {
        self.store
            .manifests
            .iter()
            .map(|m| m.label.as_str())
            .collect()
    }

    /// The target of a status URL, relative to the manifest the status belongs to. A bare
    /// manifest label (the SDK writes some statuses that way) names that manifest.
    pub fn target(&self, s: &Status) -> Option<Target> {
        let url = s.full_url.as_deref().or(s.url.as_deref())?;
        let current = s.manifest.as_deref().unwrap_or(self.active);
        let labels = self.labels();
        if labels.contains(url) {
            return Some(Target::Manifest(url.to_string()));
        }
        resolve_uri(url, current, &labels)
    }

    /// Every CAWG identity assertion of manifest `m` is referenced by its claim with a hashed URI
    /// that matched (so what the identity assertion says is what the signer signed).
    fn identity_assertions_intact(&self, m: &str) -> bool {
        let Some(raw) = self.store.get(m) else {
            return false;
        };
        raw.referenced
            .iter()
            .filter(|l| jumbf::base_label(l) == "cawg.identity")
            .all(|l| {
                self.store.target_intact(&Target::Assertion {
                    manifest: m.to_string(),
                    label: l.clone(),
                })
            })
    }
}

/// Classify one failure status by its code and, where the code alone does not decide, by the
/// structure it names.
pub fn classify(s: &Status, st: &Structure) -> CodeClass {
    let code = s.code.as_str();
    if CREDENTIAL.contains(&code) {
        return CodeClass::Credential;
    }
    if code.starts_with("cawg.") {
        // A CAWG identity assertion may soften only its own identity results, and only when the
        // claim's hashed URI to it matched.
        return match st.target(s) {
            Some(t @ Target::Assertion { .. })
                if jumbf::base_label(match &t {
                    Target::Assertion { label, .. } => label,
                    _ => "",
                }) == "cawg.identity"
                    && st.store.target_intact(&t) =>
            {
                CodeClass::Warning
            }
            _ => CodeClass::Integrity,
        };
    }
    if st.recovered_without_identity && s.explanation.as_deref() == Some("Failed to load manifest")
    {
        // The SDK built its report of the manifest only with CAWG identity decoding off: the
        // failure was in turning an identity assertion into JSON. It is a warning when that
        // manifest's identity assertions are exactly what its claim signed.
        if let Some(Target::Manifest(m)) = st.target(s) {
            if st.identity_assertions_intact(&m) {
                return CodeClass::Warning;
            }
        }
        return CodeClass::Integrity;
    }
    if code == "assertion.dataHash.mismatch" && st.multi_asset_verified {
        let own = s.manifest.as_deref().unwrap_or(st.active) == st.active;
        if let Some(Target::Assertion { manifest, label }) = st.target(s) {
            if own && manifest == st.active && jumbf::base_label(&label) == "c2pa.hash.data" {
                return CodeClass::Superseded;
            }
        }
    }
    if NOT_INTEGRITY.contains(&code) {
        return CodeClass::Warning;
    }
    CodeClass::Integrity
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
        CodeClass::Superseded => Severity::Info,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
