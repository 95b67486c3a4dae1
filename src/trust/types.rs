//! The trust engine's data: limits, list and purpose names, errors, and what an evaluation
//! reports. A leaf of trust/: the engine's files import these, nothing here imports them.

/// Maximum number of certificates on one path, leaf and path end included.
pub const MAX_PATH_DEPTH: usize = 8;
/// Maximum number of presented certificates (COSE `x5chain` entries) that are considered.
pub const MAX_PRESENTED: usize = 16;
/// Maximum number of signature verifications one structural evaluation may perform
/// (bounds backtracking; rustls-webpki uses a similar budget).
pub const MAX_SIGNATURE_CHECKS: u32 = 64;
/// Strings taken from certificates (DNs, O, CN) are truncated to this many characters.
pub const MAX_DN_CHARS: usize = 1024;
/// The structural cache is cleared when it holds more entries than this.
pub const MAX_CACHE_ENTRIES: usize = 100_000;

/// Where a trust entry came from. Serialised kebab-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustSource {
    /// Official C2PA Trust List (claim-signing anchors).
    C2paTrustList,
    /// Official C2PA TSA Trust List (time-stamp anchors).
    C2paTsaTrustList,
    /// CAI / Content Credentials interim (legacy) anchors.
    InterimAnchors,
    /// CAI / Content Credentials interim end-entity allow-list.
    InterimAllowed,
    /// Anchors supplied by the user.
    UserAnchors,
    /// End-entity allow-list supplied by the user.
    UserAllowed,
    /// A generator pin (trusted CA key of a known generator).
    GeneratorPin,
}

impl TrustSource {
    /// The kebab-case name, as serialised.
    pub fn as_str(&self) -> &'static str {
        match self {
            TrustSource::C2paTrustList => "c2pa-trust-list",
            TrustSource::C2paTsaTrustList => "c2pa-tsa-trust-list",
            TrustSource::InterimAnchors => "interim-anchors",
            TrustSource::InterimAllowed => "interim-allowed",
            TrustSource::UserAnchors => "user-anchors",
            TrustSource::UserAllowed => "user-allowed",
            TrustSource::GeneratorPin => "generator-pin",
        }
    }

    /// Whether an anchor from this list may end a path for `purpose`.
    ///
    /// The two official C2PA lists are purpose-specific (the TSA list is for RFC 3161
    /// time-stamp signers only, the claim list for claim signers only); every other list
    /// serves both purposes.
    pub fn applies_to(&self, purpose: Purpose) -> bool {
        !matches!(
            (self, purpose),
            (TrustSource::C2paTsaTrustList, Purpose::ClaimSigning)
                | (TrustSource::C2paTrustList, Purpose::TimeStamping)
        )
    }
}

impl std::fmt::Display for TrustSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the leaf certificate is being used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// The COSE claim signature of a C2PA manifest.
    ClaimSigning,
    /// The signer of an RFC 3161 time-stamp token (`sigTst` / `sigTst2`).
    TimeStamping,
}

impl Purpose {
    /// The kebab-case name, as serialised.
    pub fn as_str(&self) -> &'static str {
        match self {
            Purpose::ClaimSigning => "claim-signing",
            Purpose::TimeStamping => "time-stamping",
        }
    }
}

impl std::fmt::Display for Purpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Errors while building a [`TrustStore`](super::TrustStore) from files.
#[derive(thiserror::Error, Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum TrustError {
    /// A PEM block could not be decoded (index counts PEM blocks from 0).
    #[error("PEM block {index}: {detail}")]
    Pem { index: usize, detail: String },
    /// A PEM block decoded but is not a usable X.509 certificate.
    #[error("certificate {index}: {detail}")]
    Certificate { index: usize, detail: String },
    /// A line of a hash allow-list is not base64(SHA-256) (line counts from 1).
    #[error("allow-list line {line}: {detail}")]
    AllowedEntry { line: usize, detail: String },
    /// A line of an EKU configuration is not an OID (line counts from 1).
    #[error("EKU config line {line}: {detail}")]
    EkuConfig { line: usize, detail: String },
}

/// Why a link or a certificate on the path fails. Serialised with a kebab-case `code`.
#[derive(thiserror::Error, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum ChainError {
    /// RFC 5280 4.1.2.5: evaluation time is after notAfter.
    #[error("certificate expired at {not_after}")]
    Expired { not_after: String },
    /// RFC 5280 4.1.2.5: evaluation time is before notBefore.
    #[error("certificate not valid before {not_before}")]
    NotYetValid { not_before: String },
    /// RFC 5280 6.1.3 (a)(1): the signature does not verify under the issuer's key.
    #[error("signature does not verify under the issuer's public key")]
    BadSignature,
    /// RFC 5280 6.1: no presented certificate or anchor is the named issuer.
    #[error("no trusted or presented certificate for issuer {issuer}")]
    UnknownIssuer { issuer: String },
    /// RFC 5280 4.2.1.9: an issuer lacks basicConstraints cA=TRUE.
    #[error("issuing certificate is not a CA (basicConstraints cA is not TRUE)")]
    IssuerNotCa,
    /// RFC 5280 4.2.1.9: pathLenConstraint exceeded.
    #[error("issuing certificate's pathLenConstraint is exceeded")]
    PathLenExceeded,
    /// RFC 5280 4.2.1.9 + C2PA: the signing certificate must be an end-entity certificate.
    #[error("signing certificate is a CA certificate, not an end-entity certificate")]
    LeafIsCa,
    /// RFC 5280 4.2.1.3 + C2PA: signing certificate lacks keyUsage digitalSignature.
    #[error("signing certificate lacks keyUsage digitalSignature")]
    KeyUsageMissing,
    /// RFC 5280 4.2.1.12 + C2PA: signing certificate has no extendedKeyUsage extension.
    #[error("signing certificate has no extendedKeyUsage extension")]
    EkuMissing,
    /// RFC 5280 4.2.1.12 + C2PA: none of the certificate's EKUs is allowed for this purpose.
    #[error("extendedKeyUsage not allowed for this purpose (found: {})", found.join(", "))]
    EkuNotAllowed { found: Vec<String> },
    /// RFC 5280 4.2.1.3: an issuer with a keyUsage extension lacks keyCertSign.
    #[error("issuing certificate has keyUsage without keyCertSign")]
    CaKeyUsageMissing,
    /// A certificate carries the name of a known CA (anchor or pin) but another key.
    #[error("certificate names a known CA ({known_source}) but its key differs: possible forgery")]
    NameMatchesKnownCaKeyDiffers { known_source: String },
    /// Path longer than [`MAX_PATH_DEPTH`] certificates.
    #[error("certificate path exceeds the maximum depth")]
    DepthExceeded,
    /// Key or signature algorithm (or its parameters) not supported.
    #[error("unsupported algorithm {oid}")]
    UnsupportedAlgorithm { oid: String },
    /// Certificate could not be parsed or is structurally invalid.
    #[error("malformed certificate: {detail}")]
    Malformed { detail: String },
    /// No certificates were presented.
    #[error("no certificates presented")]
    EmptyChain,
    /// The signing certificate is self-issued and is neither an anchor nor allowed.
    #[error("signing certificate is self-signed and not trusted")]
    SelfSignedLeaf,
    /// The path reached a self-issued certificate that is not a trust anchor.
    #[error("path ends at a self-signed certificate that is not a trust anchor")]
    UntrustedRoot,
    /// RSA key below 2048 bits (ring refuses those for verification).
    #[error("issuer's RSA key is too small ({bits} bits)")]
    KeyTooSmall { bits: usize },
    /// RFC 5280 4.2: a critical extension that this verifier does not process.
    #[error("unsupported critical extension {oid}")]
    UnsupportedCriticalExtension { oid: String },
    /// Path building gave up after [`MAX_SIGNATURE_CHECKS`] signature verifications.
    #[error("path building gave up: too many candidate issuers")]
    BudgetExceeded,
}

impl ChainError {
    /// The kebab-case code, as serialised in the `code` field.
    pub fn code(&self) -> &'static str {
        match self {
            ChainError::Expired { .. } => "expired",
            ChainError::NotYetValid { .. } => "not-yet-valid",
            ChainError::BadSignature => "bad-signature",
            ChainError::UnknownIssuer { .. } => "unknown-issuer",
            ChainError::IssuerNotCa => "issuer-not-ca",
            ChainError::PathLenExceeded => "path-len-exceeded",
            ChainError::LeafIsCa => "leaf-is-ca",
            ChainError::KeyUsageMissing => "key-usage-missing",
            ChainError::EkuMissing => "eku-missing",
            ChainError::EkuNotAllowed { .. } => "eku-not-allowed",
            ChainError::CaKeyUsageMissing => "ca-key-usage-missing",
            ChainError::NameMatchesKnownCaKeyDiffers { .. } => "name-matches-known-ca-key-differs",
            ChainError::DepthExceeded => "depth-exceeded",
            ChainError::UnsupportedAlgorithm { .. } => "unsupported-algorithm",
            ChainError::Malformed { .. } => "malformed",
            ChainError::EmptyChain => "empty-chain",
            ChainError::SelfSignedLeaf => "self-signed-leaf",
            ChainError::UntrustedRoot => "untrusted-root",
            ChainError::KeyTooSmall { .. } => "key-too-small",
            ChainError::UnsupportedCriticalExtension { .. } => "unsupported-critical-extension",
            ChainError::BudgetExceeded => "budget-exceeded",
        }
    }

    /// Whether this failure is about validity time only (RFC 5280 4.1.2.5).
    pub fn is_time(&self) -> bool {
        matches!(
            self,
            ChainError::Expired { .. } | ChainError::NotYetValid { .. }
        )
    }
}

/// Summary of one certificate: a link of an evaluated path (`trust.path` of the report), the
/// report's signing certificate (`signature.signer`) and a trust-list anchor
/// ([`AnchorInfo`](super::AnchorInfo)) are all this one type, built by one function from the
/// parsed certificate. Serialised as a path link; the other two places write their own subset
/// of these fields in their own order (the report's shapes predate this type).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CertSummary {
    /// RFC 4514 subject DN (most specific RDN first), bounded.
    pub subject: String,
    /// RFC 4514 issuer DN, bounded.
    pub issuer: String,
    /// Serial number, lowercase hex of the DER INTEGER content.
    pub serial: String,
    /// SHA-256 of the certificate DER, lowercase hex.
    pub sha256: String,
    /// SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex.
    pub spki_sha256: String,
    /// RFC 3339 UTC.
    pub not_before: String,
    /// RFC 3339 UTC.
    pub not_after: String,
    /// e.g. "ECDSA P-256", "RSA 2048", "Ed25519".
    pub key_algorithm: String,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// Last O attribute of the subject, bounded.
    pub organization: Option<String>,
    /// Last CN attribute of the subject, bounded.
    pub common_name: Option<String>,
    /// Set when the file did not present this certificate and provcheck completed the chain
    /// with a known intermediate it holds: `bundled` (provcheck's bundled generator CAs,
    /// data/generator-cas.pem) or `user` (supplied with the verifier's extra intermediates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplied_by: Option<String>,
}

/// The issuer that stopped path building: named by the top certificate of the deepest
/// attempt, neither presented in the file nor known to provcheck (no anchor, no known
/// intermediate). A typed fact, so that callers never re-read error text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MissingIssuer {
    /// RFC 4514 DN of the missing issuer (bounded; attacker-controlled).
    pub issuer: String,
    /// Generators one of whose pinned CAs carries exactly this name (the name only: without
    /// the certificate nothing says the key is theirs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned_name_of: Vec<String>,
}

/// What ended a path.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PathEnd {
    /// A certificate of an anchor list (root or intermediate: partial-chain semantics).
    Anchor {
        source: TrustSource,
        subject: String,
        /// SHA-256 of the anchor's DER as stored in the trust store.
        sha256: String,
    },
    /// The leaf itself is on an end-entity allow-list.
    AllowedLeaf { source: TrustSource, sha256: String },
    /// A certificate on the path carries a pinned generator key.
    Pin {
        generator: String,
        subject: String,
        spki_sha256: String,
    },
}

impl PathEnd {
    /// Whether `link` is the certificate this path ends at (the anchor or allowed leaf by its
    /// certificate hash, the pinned certificate by its key).
    pub fn is_at(&self, link: &CertSummary) -> bool {
        match self {
            PathEnd::Anchor { sha256, .. } | PathEnd::AllowedLeaf { sha256, .. } => {
                *sha256 == link.sha256
            }
            PathEnd::Pin { spki_sha256, .. } => *spki_sha256 == link.spki_sha256,
        }
    }
}

/// One failing check.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkFailure {
    /// Position on the reported path (leaf = 0); for name-only matches of presented
    /// certificates, the position in the presented chain.
    pub index: usize,
    /// Subject of the certificate the failure is about (bounded).
    pub subject: String,
    pub error: ChainError,
}

/// A certificate (or a path's top issuer name) that carries a known CA's subject DN with
/// another key: a forgery signal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NameOnlyMatch {
    pub subject: String,
    /// SHA-256 of the presented certificate's SPKI, hex. Empty when the match is on the
    /// path's top *issuer name* and no certificate with that name was presented.
    pub presented_spki_sha256: String,
    pub known_spki_sha256: String,
    /// List name (e.g. "interim-anchors") or "pin:<generator>".
    pub known_source: String,
}

/// Result of [`TrustEngine::evaluate`](super::TrustEngine::evaluate).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ChainEvaluation {
    pub trusted: bool,
    /// Leaf first, up to and including the certificate that ended the path (anchor /
    /// allowed leaf / pinned cert). When no path was found: the deepest attempt.
    pub path: Vec<CertSummary>,
    pub ended_at: Option<PathEnd>,
    /// Why there is no trusted path: one entry per failing link / check. Empty when trusted.
    pub failures: Vec<LinkFailure>,
    /// Non-fatal observations (reordered chain, duplicates, unused certificates, ...).
    pub notes: Vec<String>,
    /// Every pin (generator id) whose key appears on the signature-checked part of the
    /// path, even if the path failed only on time.
    pub pinned_generators: Vec<String>,
    /// Presented certificates (or the path's top issuer name) whose subject DN equals a
    /// known anchor's or pin's subject but whose key differs.
    pub name_only_matches: Vec<NameOnlyMatch>,
    /// When the path could not be completed because an issuer is missing (not presented, not
    /// known): which one. `None` when a path was found or failed for another reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_issuer: Option<MissingIssuer>,
}

impl ChainEvaluation {
    /// True when a complete path exists (to an anchor, an allowed leaf or a pinned key) whose
    /// links all verify, and the only failures are validity time (RFC 5280 4.1.2.5) or the
    /// signing certificate's profile (keyUsage, extendedKeyUsage, cA flag): the key that
    /// signed is known to belong to the leaf's subject as vetted by the path's end, even if
    /// the certificate cannot be fully trusted. A copied CA name, a broken link, an unknown
    /// critical extension or an incomplete path never qualifies.
    pub fn structurally_genuine(&self) -> bool {
        self.ended_at.is_some()
            && self.name_only_matches.is_empty()
            && self.failures.iter().all(|f| {
                f.error.is_time()
                    || (f.index == 0
                        && matches!(
                            f.error,
                            ChainError::LeafIsCa
                                | ChainError::KeyUsageMissing
                                | ChainError::EkuMissing
                                | ChainError::EkuNotAllowed { .. }
                        ))
            })
    }

    #[cfg(test)]
    /// True when the only failures are validity-time failures on a structurally complete
    /// path ("right chain, wrong time").
    pub fn failed_only_on_time(&self) -> bool {
        !self.trusted
            && self.ended_at.is_some()
            && !self.failures.is_empty()
            && self.failures.iter().all(|f| f.error.is_time())
    }
}
