//! Reason codes: every `provcheck.*` code provcheck puts in a report's `reasons`, defined once
//! here and used by the code that emits it, and the C2PA status codes provcheck acts on. Each
//! is explained in docs/report.md ("Reason codes"); a unit test checks that the two lists agree.
//!
//! Match on these rather than on string literals:
//!
//! ```
//! # let report = provcheck::Report::error(provcheck::Input::default(), provcheck::codes::IO_ERROR, "x");
//! if report.codes().any(|c| c == provcheck::codes::IO_ERROR) {
//!     // the file could not be read at all
//! }
//! ```

/// `provcheck.io.error`: The file could not be opened or read, or the path is not a regular file (`error`).
pub const IO_ERROR: &str = "provcheck.io.error";
/// `provcheck.limit.size`: The file is larger than the size cap (`error`).
pub const LIMIT_SIZE: &str = "provcheck.limit.size";
/// `provcheck.limit.memory`: The manifest exceeds the c2pa SDK's memory limits (`error`).
pub const LIMIT_MEMORY: &str = "provcheck.limit.memory";
/// `provcheck.asset.empty`: The file has 0 bytes (`error`).
pub const ASSET_EMPTY: &str = "provcheck.asset.empty";
/// `provcheck.asset.hostile`: The TIFF/DNG structure was refused before parsing (`error`).
pub const ASSET_HOSTILE: &str = "provcheck.asset.hostile";
/// `provcheck.timeout`: The check ran past its time limit (`error`; `scan`, `serve`, `verify`).
pub const TIMEOUT: &str = "provcheck.timeout";
/// `provcheck.crashed`: The check panicked or its worker process died (`error`).
pub const CRASHED: &str = "provcheck.crashed";
/// `provcheck.crossCheck.differs`: (`--cross-check`) provcheck's own validation path and the
/// c2pa SDK judged the store differently (warning; the SDK's result is reported).
pub const CROSS_CHECK_DIFFERS: &str = "provcheck.crossCheck.differs";
/// `provcheck.claimSignature.reverified`: The c2pa SDK reported `claimSignature.mismatch` for a
/// signature that holds (its certificate names no organisation); provcheck verified it (info).
pub const CLAIM_SIGNATURE_REVERIFIED: &str = "provcheck.claimSignature.reverified";
/// `provcheck.asset.truncated`: The file ended or broke while the manifest was read (`error`).
pub const ASSET_TRUNCATED: &str = "provcheck.asset.truncated";
/// `provcheck.asset.malformed`: The container is malformed (`error`).
pub const ASSET_MALFORMED: &str = "provcheck.asset.malformed";
/// `provcheck.format.unsupported`: The content is in no supported format (`error`).
pub const FORMAT_UNSUPPORTED: &str = "provcheck.format.unsupported";
/// `provcheck.format.contentMismatch`: The extension names a supported format, the content is in none (`error`).
pub const FORMAT_CONTENT_MISMATCH: &str = "provcheck.format.contentMismatch";
/// `provcheck.manifest.malformed`: The JUMBF, claim or CBOR is malformed, or more than one store (`error`).
pub const MANIFEST_MALFORMED: &str = "provcheck.manifest.malformed";
/// `provcheck.manifest.prerelease`: The manifest was made with a pre-release C2PA version (`error`).
pub const MANIFEST_PRERELEASE: &str = "provcheck.manifest.prerelease";
/// `provcheck.manifest.none`: No C2PA manifest is embedded (`unsigned`).
pub const MANIFEST_NONE: &str = "provcheck.manifest.none";
/// `provcheck.manifest.unreadable`: C2PA manifest data is present but the SDK found no store in it (`error`).
pub const MANIFEST_UNREADABLE: &str = "provcheck.manifest.unreadable";
/// `provcheck.limit.segments`: The JPEG manifest store is split over too many APP11 segments (`error`).
pub const LIMIT_SEGMENTS: &str = "provcheck.limit.segments";
/// `provcheck.limit.assertions`: A claim lists too many assertions (`error`).
pub const LIMIT_ASSERTIONS: &str = "provcheck.limit.assertions";
/// `provcheck.limit.manifests`: The store holds too many manifests (`error`).
pub const LIMIT_MANIFESTS: &str = "provcheck.limit.manifests";
/// `provcheck.manifest.duplicateBox`: Two boxes where the claim references one (`tampered`).
pub const MANIFEST_DUPLICATE_BOX: &str = "provcheck.manifest.duplicateBox";
/// `provcheck.multiAsset.mismatch`: A part of a multi-asset hash does not match (`tampered`).
pub const MULTI_ASSET_MISMATCH: &str = "provcheck.multiAsset.mismatch";
/// `provcheck.multiAsset.requiredPartMissing`: A required multi-asset part is missing (`tampered`).
pub const MULTI_ASSET_REQUIRED_PART_MISSING: &str = "provcheck.multiAsset.requiredPartMissing";
/// `provcheck.multiAsset.optionalPartMissing`: An optional multi-asset part was removed (info).
pub const MULTI_ASSET_OPTIONAL_PART_MISSING: &str = "provcheck.multiAsset.optionalPartMissing";
/// `provcheck.binding.unprotectedBytes`: Bytes no signature or hash covers (warning).
pub const BINDING_UNPROTECTED_BYTES: &str = "provcheck.binding.unprotectedBytes";
/// `provcheck.timestamp.unreadable`: A time-stamp entry with no readable RFC 3161 token (warning).
pub const TIMESTAMP_UNREADABLE: &str = "provcheck.timestamp.unreadable";
/// `provcheck.claim.unbacked`: A claim names a generator the signer is not (`mismatched` at failure severity).
pub const CLAIM_UNBACKED: &str = "provcheck.claim.unbacked";
/// `provcheck.claim.impersonation`: The signer carries a generator's name without its key (`mismatched` at failure severity).
pub const CLAIM_IMPERSONATION: &str = "provcheck.claim.impersonation";
/// `provcheck.claim.unverified`: A claim names a generator whose identity cannot be authenticated (warning).
pub const CLAIM_UNVERIFIED: &str = "provcheck.claim.unverified";
/// `provcheck.expect.mismatch`: The file is not authenticated as the expected source (`mismatched`).
pub const EXPECT_MISMATCH: &str = "provcheck.expect.mismatch";
/// `provcheck.signer.trusted`: The signer is trusted (info).
pub const SIGNER_TRUSTED: &str = "provcheck.signer.trusted";
/// `provcheck.signer.untrusted`: No trusted certificate path (`untrusted`).
pub const SIGNER_UNTRUSTED: &str = "provcheck.signer.untrusted";
/// `provcheck.signer.nameForgery`: A certificate copies a known CA's name with another key (`untrusted`).
pub const SIGNER_NAME_FORGERY: &str = "provcheck.signer.nameForgery";
/// `provcheck.timestamp.untrusted`: The time-stamp is not from a trusted TSA (info).
pub const TIMESTAMP_UNTRUSTED: &str = "provcheck.timestamp.untrusted";
/// `provcheck.trust.sdkDisagrees`: The SDK's trust answer differs from provcheck's (info).
pub const TRUST_SDK_DISAGREES: &str = "provcheck.trust.sdkDisagrees";

/// Every `provcheck.*` reason code, in the order of docs/report.md.
pub const ALL: &[&str] = &[
    IO_ERROR,
    LIMIT_SIZE,
    LIMIT_MEMORY,
    ASSET_EMPTY,
    ASSET_HOSTILE,
    TIMEOUT,
    CRASHED,
    CROSS_CHECK_DIFFERS,
    CLAIM_SIGNATURE_REVERIFIED,
    ASSET_TRUNCATED,
    ASSET_MALFORMED,
    FORMAT_UNSUPPORTED,
    FORMAT_CONTENT_MISMATCH,
    MANIFEST_MALFORMED,
    MANIFEST_PRERELEASE,
    MANIFEST_NONE,
    MANIFEST_UNREADABLE,
    LIMIT_SEGMENTS,
    LIMIT_ASSERTIONS,
    LIMIT_MANIFESTS,
    MANIFEST_DUPLICATE_BOX,
    MULTI_ASSET_MISMATCH,
    MULTI_ASSET_REQUIRED_PART_MISSING,
    MULTI_ASSET_OPTIONAL_PART_MISSING,
    BINDING_UNPROTECTED_BYTES,
    TIMESTAMP_UNREADABLE,
    CLAIM_UNBACKED,
    CLAIM_IMPERSONATION,
    CLAIM_UNVERIFIED,
    EXPECT_MISMATCH,
    SIGNER_TRUSTED,
    SIGNER_UNTRUSTED,
    SIGNER_NAME_FORGERY,
    TIMESTAMP_UNTRUSTED,
    TRUST_SDK_DISAGREES,
];

/// Prefix of the claim codes (`provcheck.claim.*`).
pub const CLAIM_PREFIX: &str = "provcheck.claim.";
/// Prefix of the signer codes (`provcheck.signer.*`).
pub const SIGNER_PREFIX: &str = "provcheck.signer.";
/// Prefix of the limit codes (`provcheck.limit.*`).
pub const LIMIT_PREFIX: &str = "provcheck.limit.";

/// C2PA status codes (as the c2pa SDK reports them) that provcheck acts on by name, and its
/// classification of failure codes (docs/report.md, "C2PA status codes passed through").
pub mod c2pa {
    /// The file only points to a remote manifest, which provcheck never fetches (`unsigned`).
    pub const MANIFEST_REMOTE: &str = "manifest.remote";
    /// An assertion's CBOR cannot be decoded (the SDK's store loader, bare assertion label).
    pub const ASSERTION_CBOR_INVALID: &str = "assertion.cbor.invalid";
    /// An assertion's JSON cannot be decoded (the SDK's store loader, bare assertion label).
    pub const ASSERTION_JSON_INVALID: &str = "assertion.json.invalid";
    /// The store holds a manifest that neither the active manifest nor any manifest it takes in
    /// references (C2PA 2.2, "Validate the manifest store"). c2pa 0.90.22 never reports it;
    /// provcheck finds it (`read/unreferenced.rs`) and reports it as a warning: the claims and
    /// problems of such a manifest do not count.
    pub const MANIFEST_UNREFERENCED: &str = "manifest.unreferenced";
    /// The claim signature does not verify.
    pub const CLAIM_SIGNATURE_MISMATCH: &str = "claimSignature.mismatch";
    /// The claim signature is missing.
    pub const CLAIM_SIGNATURE_MISSING: &str = "claimSignature.missing";
    /// A data hash excludes more than one range (informational; c2pa's TIFF writer excludes the
    /// C2PA IFD entry's count field besides the store).
    pub const DATA_HASH_ADDITIONAL_EXCLUSIONS: &str =
        "assertion.dataHash.additionalExclusionsPresent";
    /// Prefix of the claim-signature codes.
    pub const CLAIM_SIGNATURE_PREFIX: &str = "claimSignature.";
    /// The time-stamp token does not match the signature.
    pub const TIME_STAMP_MISMATCH: &str = "timeStamp.mismatch";
    /// The time-stamp token is malformed.
    pub const TIME_STAMP_MALFORMED: &str = "timeStamp.malformed";
    /// The time-stamp is outside its TSA certificate's validity.
    pub const TIME_STAMP_OUTSIDE_VALIDITY: &str = "timeStamp.outsideValidity";
    /// The time-stamp is not trusted; c2pa 0.90 also logs it for a token whose signature does
    /// not verify.
    pub const TIME_STAMP_UNTRUSTED: &str = "timeStamp.untrusted";
    /// Prefix of the SDK's own signer-credential codes.
    pub const SIGNING_CREDENTIAL_PREFIX: &str = "signingCredential.";
    /// The SDK trusts the signing credential.
    pub const SIGNING_CREDENTIAL_TRUSTED: &str = "signingCredential.trusted";
    /// The SDK finds the signing credential expired.
    pub const SIGNING_CREDENTIAL_EXPIRED: &str = "signingCredential.expired";
    /// The SDK does not trust the signing credential.
    pub const SIGNING_CREDENTIAL_UNTRUSTED: &str = "signingCredential.untrusted";
    /// Part of every hash-mismatch code (`assertion.dataHash.mismatch`, `...bmffHash...`).
    pub const HASH_INFIX: &str = "Hash.";

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
        MANIFEST_UNREFERENCED,
        "assertion.metadata.disallowed",
        DATA_HASH_ADDITIONAL_EXCLUSIONS,
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
        crate::codes::MANIFEST_DUPLICATE_BOX,
        crate::codes::MULTI_ASSET_MISMATCH,
        crate::codes::MULTI_ASSET_REQUIRED_PART_MISSING,
    ];

    /// The integrity codes about a hard binding (an asset's bytes against the manifest's hash),
    /// not about the manifest itself.
    pub const CONTENT_BINDING: &[&str] = &[
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
    ];

    /// Integrity codes that say the manifest was made against the C2PA rules (a malformed or
    /// missing required part, an invalid structure) rather than that something changed after
    /// signing: a signer can write these. A `tampered` file whose failures are all in this list
    /// is summarised as an invalid manifest, not as "changed after signing"; the verdict stays
    /// `tampered` (fail closed).
    pub const BREAKS_THE_RULES: &[&str] = &[
        "assertion.action.malformed",
        "assertion.cbor.invalid",
        "assertion.json.invalid",
        "assertion.ingredient.malformed",
        "assertion.required.missing",
        "assertion.multipleHardBindings",
        "assertion.dataHash.malformed",
        "assertion.bmffHash.malformed",
        "assertion.boxesHash.malformed",
        "assertion.collectionHash.malformed",
        "assertion.cloud-data.actions",
        "assertion.cloud-data.hardBinding",
        "assertion.cloud-data.malformed",
        "claim.malformed",
        "claim.cbor.invalid",
        "claim.hardBindings.missing",
        "claim.required.missing",
        "manifest.multipleParents",
        "manifest.update.invalid",
        "manifest.update.wrongParents",
    ];

    /// The SDK's catch-all integrity codes, which do not say what failed.
    pub const CATCH_ALL: &[&str] = &["algorithm.unsupported", "general.error"];
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every code in docs/report.md's table of provcheck's own codes is defined here, and every
    /// code defined here is in that table.
    #[test]
    fn docs_and_module_list_the_same_codes() {
        let doc = include_str!("../docs/report.md");
        let section = doc
            .split("### provcheck's own codes")
            .nth(1)
            .and_then(|s| s.split("\n### ").next())
            .expect("docs/report.md has the codes table");
        let documented: BTreeSet<&str> = section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .collect();
        let defined: BTreeSet<&str> = super::ALL.iter().copied().collect();
        assert_eq!(defined.len(), super::ALL.len(), "a code listed twice");
        assert!(documented.len() >= 30, "{documented:?}");
        assert_eq!(
            documented.difference(&defined).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "documented but not defined in src/codes.rs"
        );
        assert_eq!(
            defined.difference(&documented).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "defined but not documented in docs/report.md"
        );
    }

    /// No `provcheck.*` code literal outside this module (tests excepted): a code is typed once.
    #[test]
    fn no_code_literals_outside_this_module() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src, &mut files);
        let mut found = Vec::new();
        for f in files {
            let name = f.to_string_lossy().into_owned();
            if name.ends_with("codes.rs") || name.contains("test") {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            // unit tests at the end of a file may spell codes out
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (i, line) in code.lines().enumerate() {
                if line.contains("\"provcheck.") && !line.trim_start().starts_with("//") {
                    found.push(format!("{name}:{}: {}", i + 1, line.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "code literals outside src/codes.rs:\n{}",
            found.join("\n")
        );
    }

    /// The C2PA classification lists do not overlap.
    #[test]
    fn c2pa_lists_are_disjoint() {
        use super::c2pa::{CREDENTIAL, INTEGRITY, NOT_INTEGRITY};
        for c in CREDENTIAL {
            assert!(!INTEGRITY.contains(c) && !NOT_INTEGRITY.contains(c), "{c}");
        }
        for c in NOT_INTEGRITY {
            assert!(!INTEGRITY.contains(c), "{c}");
        }
    }

    /// The parts of INTEGRITY named apart are parts of it.
    #[test]
    fn integrity_sublists_are_integrity_codes() {
        use super::c2pa::{BREAKS_THE_RULES, CATCH_ALL, CONTENT_BINDING, INTEGRITY};
        for c in CONTENT_BINDING
            .iter()
            .chain(CATCH_ALL)
            .chain(BREAKS_THE_RULES)
        {
            assert!(INTEGRITY.contains(c), "{c}");
        }
    }
}
