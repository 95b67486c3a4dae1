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

#[cfg(test)]
use crate::codes::c2pa::INTEGRITY;
use crate::codes::c2pa::{CREDENTIAL, NOT_INTEGRITY};

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

/// Whether a failure code that a manifest recorded for one of its ingredients says that the
/// ingredient's manifest itself did not hold when it was taken in: one of the C2PA integrity
/// codes about a claim, its signature, its hashed URIs or its structure. Not the content-binding
/// codes (`assertion.dataHash.*` and the like: they are about the ingredient's asset, which is
/// not in this file, and an ingredient re-saved before editing is common in genuine work), not
/// the SDK's catch-alls, not provcheck's own codes, and not a success or unknown code (older
/// writers record successes in `validationStatus` too). Exact membership in the code lists of
/// `codes::c2pa`: a code is a string the file chose.
pub fn recorded_manifest_failure(code: &str) -> bool {
    use crate::codes::c2pa::{CATCH_ALL, CONTENT_BINDING, INTEGRITY};
    INTEGRITY.contains(&code)
        && !CONTENT_BINDING.contains(&code)
        && !CATCH_ALL.contains(&code)
        && !crate::codes::ALL.contains(&code)
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
    use crate::read::jumbf::{HashedRef, RawManifest, Store};

    /// Only exact C2PA codes about the manifest itself mark a recorded ingredient invalid.
    #[test]
    fn recorded_manifest_failures_are_exact_manifest_codes() {
        for c in [
            "claimSignature.mismatch",
            "assertion.hashedURI.mismatch",
            "claim.missing",
        ] {
            assert!(recorded_manifest_failure(c), "{c}");
        }
        for c in [
            "assertion.dataHash.mismatch",
            "general.error",
            crate::codes::MANIFEST_DUPLICATE_BOX,
            "assertion.dataHash.match",
            "claimSignature.mismatch.extra",
            "xclaimSignature.mismatch",
        ] {
            assert!(!recorded_manifest_failure(c), "{c}");
        }
    }

    const ACTIVE: &str = "urn:c2pa:active.cawg.";

    /// A store whose active manifest has an identity assertion referenced by its claim;
    /// `identity_matched` says whether that hashed URI matched.
    fn store(identity_matched: bool) -> Store {
        Store {
            manifests: vec![RawManifest {
                label: ACTIVE.into(),
                referenced: vec!["cawg.identity".into(), "c2pa.hash.data".into()],
                ..Default::default()
            }],
            refs: vec![HashedRef {
                from: ACTIVE.into(),
                url: "self#jumbf=c2pa.assertions/cawg.identity".into(),
                target: Some(Target::Assertion {
                    manifest: ACTIVE.into(),
                    label: "cawg.identity".into(),
                }),
                matched: Some(identity_matched),
            }],
            ..Default::default()
        }
    }

    fn st(code: &str, url: &str) -> Status {
        Status {
            code: code.into(),
            url: Some(url.into()),
            explanation: None,
            scope: "active".into(),
            manifest: Some(ACTIVE.into()),
            full_url: Some(url.into()),
        }
    }

    fn structure(s: &Store) -> Structure<'_> {
        Structure {
            store: s,
            active: ACTIVE,
            recovered_without_identity: false,
            multi_asset_verified: false,
        }
    }

    #[test]
    fn a_label_containing_cawg_softens_nothing() {
        let s = store(true);
        let url = format!("self#jumbf=/c2pa/{ACTIVE}/c2pa.assertions/c2pa.hash.data");
        for code in [
            "assertion.dataHash.mismatch",
            "assertion.hashedURI.mismatch",
            "claimSignature.mismatch",
        ] {
            assert_eq!(
                classify(&st(code, &url), &structure(&s)),
                CodeClass::Integrity
            );
        }
        // explanations are attacker text too (the data hash `name` ends up in them)
        let mut x = st("assertion.dataHash.mismatch", &url);
        x.explanation = Some("name: c2pa.soft-binding cawg. soft binding".into());
        assert_eq!(classify(&x, &structure(&s)), CodeClass::Integrity);
    }

    #[test]
    fn cawg_codes_soften_only_for_their_own_intact_identity_assertion() {
        let id = format!("self#jumbf=/c2pa/{ACTIVE}/c2pa.assertions/cawg.identity");
        let intact = store(true);
        assert_eq!(
            classify(&st("cawg.ica.did_unavailable", &id), &structure(&intact)),
            CodeClass::Warning
        );
        // the identity assertion was edited after signing
        let edited = store(false);
        assert_eq!(
            classify(&st("cawg.ica.did_unavailable", &id), &structure(&edited)),
            CodeClass::Integrity
        );
        // a cawg code about some other assertion, or an unresolvable URL
        let other = format!("self#jumbf=/c2pa/{ACTIVE}/c2pa.assertions/cawg.training-mining");
        assert_eq!(
            classify(
                &st("cawg.identity.cbor.invalid", &other),
                &structure(&intact)
            ),
            CodeClass::Integrity
        );
        assert_eq!(
            classify(
                &st(
                    "cawg.ica.did_unavailable",
                    "self#jumbf=/c2pa/urn:c2pa:other/c2pa.assertions/cawg.identity"
                ),
                &structure(&intact)
            ),
            CodeClass::Integrity
        );
    }

    #[test]
    fn unknown_failure_codes_fail_closed() {
        let s = store(true);
        for code in [
            "assertion.brandNew.mismatch",
            "general.error",
            "manifest.inaccessible",
            "",
        ] {
            assert_eq!(
                classify(&st(code, "x"), &structure(&s)),
                CodeClass::Integrity,
                "{code}"
            );
        }
        assert_eq!(
            classify(&st("signingCredential.expired", "x"), &structure(&s)),
            CodeClass::Credential
        );
        assert_eq!(
            classify(&st("ingredient.unknownProvenance", "x"), &structure(&s)),
            CodeClass::Warning
        );
    }

    #[test]
    fn failed_to_load_manifest_is_a_warning_only_with_intact_identity_assertions() {
        for (matched, want) in [(true, CodeClass::Warning), (false, CodeClass::Integrity)] {
            let s = store(matched);
            let mut x = st(
                "assertion.required.missing",
                &format!("self#jumbf=/c2pa/{ACTIVE}"),
            );
            x.explanation = Some("Failed to load manifest".into());
            let mut sx = structure(&s);
            sx.recovered_without_identity = true;
            assert_eq!(classify(&x, &sx), want);
            // without the recovery it is what its code says
            sx.recovered_without_identity = false;
            assert_eq!(classify(&x, &sx), CodeClass::Integrity);
        }
    }

    #[test]
    fn a_whole_file_data_hash_mismatch_is_superseded_only_by_a_verified_multi_asset_hash() {
        let s = store(true);
        let url = format!("self#jumbf=/c2pa/{ACTIVE}/c2pa.assertions/c2pa.hash.data");
        let mut sx = structure(&s);
        assert_eq!(
            classify(&st("assertion.dataHash.mismatch", &url), &sx),
            CodeClass::Integrity
        );
        sx.multi_asset_verified = true;
        assert_eq!(
            classify(&st("assertion.dataHash.mismatch", &url), &sx),
            CodeClass::Superseded
        );
        // an ingredient's data hash, or another code, is not superseded
        let mut ing = st("assertion.dataHash.mismatch", &url);
        ing.manifest = Some("urn:c2pa:ingredient".into());
        assert_eq!(classify(&ing, &sx), CodeClass::Integrity);
        assert_eq!(
            classify(&st("assertion.boxesHash.mismatch", &url), &sx),
            CodeClass::Integrity
        );
    }

    /// Every status code the pinned c2pa SDK defines is classified on purpose: it is in one of
    /// the three lists, or it is a success-only code, or a CAWG code (decided by structure).
    #[test]
    fn every_sdk_code_is_classified_on_purpose() {
        // filtered to the host: unfiltered, cargo wants every platform's crates, which a fresh
        // machine's build did not download
        let rustc = std::process::Command::new("rustc")
            .arg("-vV")
            .output()
            .expect("rustc -vV");
        let host = String::from_utf8_lossy(&rustc.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
            .expect("rustc host triple");
        let out = std::process::Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1", "--offline"])
            .args(["--filter-platform", &host])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata");
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata json");
        let manifest = meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "c2pa")
            .and_then(|p| p["manifest_path"].as_str())
            .expect("c2pa package");
        assert!(manifest.contains("c2pa-0.90.22"), "{manifest}");
        let src = std::path::Path::new(manifest).parent().unwrap().join("src");
        let re = regex::Regex::new(r#"pub const [A-Z0-9_]+: &str = "([a-zA-Z0-9_.-]+)""#).unwrap();
        let mut codes = std::collections::BTreeSet::new();
        for f in ["validation_results.rs", "validation_status.rs"] {
            let text = std::fs::read_to_string(src.join(f)).unwrap_or_default();
            for c in re.captures_iter(&text) {
                codes.insert(c[1].to_string());
            }
        }
        assert!(codes.len() > 60, "found only {} codes", codes.len());
        let success_only = |c: &str| {
            c.ends_with(".match")
                || c.ends_with(".validated")
                || c.ends_with(".trusted")
                || c == "assertion.accessible"
                || c == "timeOfSigning.insideValidity"
                || !c.contains('.')
        };
        let unclassified: Vec<&String> = codes
            .iter()
            .filter(|c| {
                !(INTEGRITY.contains(&c.as_str())
                    || CREDENTIAL.contains(&c.as_str())
                    || NOT_INTEGRITY.contains(&c.as_str())
                    || c.starts_with("cawg.")
                    || success_only(c))
            })
            .collect();
        assert!(
            unclassified.is_empty(),
            "c2pa defines codes provcheck does not list (they fail closed as integrity, but decide them on purpose): {unclassified:?}"
        );
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
