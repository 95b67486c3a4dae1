//! The `Report`: what provcheck found about one file. Serialised as the stable JSON documented
//! field by field in `docs/report.md` and by the JSON Schema `docs/report.schema.json`.
//!
//! Every string that comes from the file (titles, generator names, certificate subjects, XMP
//! values...) is stored as found, length-bounded; renderers escape it for their medium.

use serde::{Deserialize, Serialize};

use crate::trust::{CertSummary, LinkFailure, NameOnlyMatch, PathEnd, TrustSource};

/// `input.format` before the content is sniffed (the name of `read::Format::Unknown`).
const UNKNOWN_FORMAT: &str = "unknown";

/// Version of the report layout. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

/// The one-word answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Intact manifest, trusted signer, every known-generator claim backed by that generator's key.
    Authentic,
    /// A known generator is claimed but the signer is not that generator (or `--expect` failed).
    Mismatched,
    /// A signature, hard binding or hashed URI does not match (the file or a manifest changed
    /// after signing), or the manifest breaks the C2PA rules.
    Tampered,
    /// Intact, but the signer could not be tied to a trusted certificate authority or pinned key.
    Untrusted,
    /// No C2PA manifest embedded (possibly a remote manifest reference, which is not fetched).
    Unsigned,
    /// The file could not be checked: unreadable, unsupported, malformed or hostile.
    Error,
}

impl Severity {
    /// The lighter of the two.
    pub fn min_with(self, other: Severity) -> Severity {
        let rank = |s: Severity| match s {
            Severity::Failure => 2,
            Severity::Warning => 1,
            Severity::Info => 0,
        };
        if rank(self) <= rank(other) {
            self
        } else {
            other
        }
    }
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Authentic => "authentic",
            Verdict::Mismatched => "mismatched",
            Verdict::Tampered => "tampered",
            Verdict::Untrusted => "untrusted",
            Verdict::Unsigned => "unsigned",
            Verdict::Error => "error",
        }
    }
    pub const ALL: [Verdict; 6] = [
        Verdict::Mismatched,
        Verdict::Tampered,
        Verdict::Error,
        Verdict::Untrusted,
        Verdict::Unsigned,
        Verdict::Authentic,
    ];
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a reason weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Drives the verdict.
    Failure,
    /// Reported, does not change the verdict (e.g. an undecodable CAWG identity assertion).
    Warning,
    /// Context.
    Info,
}

/// One reason behind the verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reason {
    /// A C2PA validation status code verbatim (`assertion.dataHash.mismatch`) or one of provcheck's
    /// own (`provcheck.*`), listed in docs/report.md.
    pub code: String,
    pub severity: Severity,
    /// One plain-English line.
    pub explanation: String,
    /// Where it applies: `active`, an ingredient manifest label, `file`, `trust`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// The file itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Input {
    /// Path as given (absent for in-memory input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The path's exact bytes as the OS gave them, lowercase hex; present only when the path is
    /// not valid UTF-8 (then `path` shows it with U+FFFD and cannot lead back to the file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the whole file, lowercase hex. Absent only if the file could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Format detected from the content (`jpeg`, `png`, ... or `unknown`).
    pub format: String,
    /// Format the file name's extension suggests, when it differs from the content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_format: Option<String>,
    /// Last modification time of the file, RFC 3339 with nanoseconds (files on disk only). With
    /// path and size it identifies a file for `scan --resume`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Thumbnails for the HTML page, made during the check when asked
    /// (`VerifierOptions::thumbnails`). Never part of the JSON report.
    #[serde(skip)]
    pub(crate) thumbnails: Option<Box<crate::render::thumbs::Thumbnails>>,
}

impl Input {
    /// The `input` of a report on a file on disk: `path` for display (lossy when the name is
    /// not UTF-8) and, only then, `path_bytes`: the name's exact bytes, hex, so the record still
    /// leads back to the file. Size, hash and format are filled by the check.
    pub fn for_path(path: &std::path::Path) -> Input {
        let raw = path.as_os_str().as_encoded_bytes();
        Input {
            path: Some(path.to_string_lossy().into_owned()),
            path_bytes: std::str::from_utf8(raw).is_err().then(|| hex::encode(raw)),
            format: UNKNOWN_FORMAT.into(),
            ..Default::default()
        }
    }

    /// The `input` of a report on bytes in memory, `name` shown as the path.
    pub fn for_bytes(name: Option<&str>, size: u64) -> Input {
        Input {
            path: name.map(str::to_string),
            size,
            format: UNKNOWN_FORMAT.into(),
            ..Default::default()
        }
    }
}

/// `claim_generator_info` entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GeneratorInfo {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// The active manifest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ManifestInfo {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_version: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_generator: Option<String>,
    pub claim_generator_info: Vec<GeneratorInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    pub instance_id: String,
    /// The hard binding's hash of the asset content (`c2pa.hash.data`, or the top-level hash of
    /// `c2pa.hash.bmff`), lowercase hex: the same picture gives the same value whatever manifest
    /// it carries. Present only when the binding was checked and matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
    /// Number of manifests in the store (active + ingredients' + any unreferenced).
    pub manifest_count: usize,
}

/// The claim signature of the active manifest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SignatureInfo {
    /// COSE algorithm (`ps256`, `es256`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// Signing time as the SDK reports it (from the time-stamp when present), RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_time: Option<String>,
    /// The end-entity (leaf) certificate.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "signer_json")]
    pub signer: Option<CertSummary>,
    /// The x5chain as presented (leaf first), as SHA-256 fingerprints of the DER.
    pub chain: Vec<String>,
}

/// `signature.signer` is written as it always was: the certificate's names first, no key hash,
/// cA flag or chain-completion note, and no `null` for a missing O or CN. Read back (a worker's
/// report), the fields it leaves out are empty.
mod signer_json {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::trust::CertSummary;

    #[derive(Serialize, Deserialize)]
    struct Signer {
        subject: String,
        issuer: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        organization: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        common_name: Option<String>,
        serial: String,
        sha256: String,
        not_before: String,
        not_after: String,
        key_algorithm: String,
    }

    pub fn serialize<S: Serializer>(c: &Option<CertSummary>, s: S) -> Result<S::Ok, S::Error> {
        c.as_ref()
            .map(|c| Signer {
                subject: c.subject.clone(),
                issuer: c.issuer.clone(),
                organization: c.organization.clone(),
                common_name: c.common_name.clone(),
                serial: c.serial.clone(),
                sha256: c.sha256.clone(),
                not_before: c.not_before.clone(),
                not_after: c.not_after.clone(),
                key_algorithm: c.key_algorithm.clone(),
            })
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<CertSummary>, D::Error> {
        Ok(Option::<Signer>::deserialize(d)?.map(|w| CertSummary {
            subject: w.subject,
            issuer: w.issuer,
            organization: w.organization,
            common_name: w.common_name,
            serial: w.serial,
            sha256: w.sha256,
            not_before: w.not_before,
            not_after: w.not_after,
            key_algorithm: w.key_algorithm,
            ..CertSummary::default()
        }))
    }
}

/// The RFC 3161 time-stamp on the claim signature.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimestampInfo {
    /// Subject CN (or full DN) of the TSA signing certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsa: Option<String>,
    /// genTime, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The SDK verified the token against the signature (`timeStamp.validated`).
    pub validated: bool,
    /// provcheck's chain evaluation of the TSA certificate against the TSA trust material.
    pub trusted: bool,
    /// Which list anchored the TSA, when trusted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_by: Option<TrustSource>,
    /// Why the TSA chain is not trusted, when it is not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<LinkFailure>,
    /// New in 2: the TSA certificate chains to a key pinned for the same generator as the
    /// claim signer: the time is attested by the signer's own organisation, not by an
    /// independent time-stamping authority (so it does not prove the time of signing).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub self_attested: bool,
}

/// Where the time used to judge certificate validity came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum TimeOrigin {
    /// The trusted RFC 3161 time-stamp.
    TrustedTimestamp,
    /// The clock of the machine (no trusted time-stamp).
    Now,
    /// Set by the caller (`--at`).
    Fixed,
}

/// How the signer was authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum AuthenticatedBy {
    /// The chain ends at a trust anchor or an allowed end-entity certificate of a trust list.
    TrustList,
    /// The chain reaches a generator's pinned CA key (registry), on no list.
    Pin,
}

/// provcheck's own certificate-chain evaluation of the active manifest's signer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrustInfo {
    pub trusted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticated_by: Option<AuthenticatedBy>,
    /// Which list, allowed entry or generator pin ended the path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<PathEnd>,
    /// The path found (leaf first, up to the certificate that ended it).
    pub path: Vec<CertSummary>,
    /// When no trusted path: typed failure per link.
    pub failures: Vec<LinkFailure>,
    /// Certificates that carry a known CA's name with a different key (forgery signal).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_only_matches: Vec<NameOnlyMatch>,
    /// Generators whose pinned key appears on the signature-verified part of the chain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned_generators: Vec<String>,
    /// New in 2: the issuer that stopped path building (neither presented nor known), when
    /// the chain could not be completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_issuer: Option<crate::trust::MissingIssuer>,
    /// The time at which validity was judged, RFC 3339, and where it came from.
    pub evaluated_at: String,
    pub evaluated_at_origin: TimeOrigin,
    /// The SDK's own `signingCredential.*` codes for the active manifest.
    pub c2pa_signing_credential: Vec<String>,
    /// false when the SDK's trusted/untrusted answer differs from provcheck's.
    pub agrees_with_c2pa: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One claim of origin found in the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Claim {
    /// Where: `claim_generator`, `claim_generator_info`, `action.softwareAgent`,
    /// `action.digitalSourceType`, `xmp:CreatorTool`, `exif:Software`, `png:tEXt:parameters`...
    pub origin: String,
    pub value: String,
    /// The manifest it sits in (active label, an ingredient's label) or `metadata`.
    pub scope: String,
    /// Whether a valid (intact) C2PA signature covers it.
    pub signed: bool,
    /// Known generators this claim names (registry ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generators: Vec<String>,
    /// The product named, when a generator is named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// For a claim that names a generator: whether the claim is backed by that generator's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backed: Option<bool>,
}

/// What the file claims about where it came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClaimedSource {
    /// Display summary: the generator (organisation and product) the active manifest claims, or
    /// else the metadata; absent when nothing names a known generator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Distinct known generators named anywhere (registry ids).
    pub generators: Vec<String>,
    /// The file claims AI generation (IPTC `trainedAlgorithmicMedia` and kin).
    pub ai_generated: bool,
    pub claims: Vec<Claim>,
    /// Set by attribution for a file in which no manifest was read when its metadata suggests
    /// a credential was stripped (`scan`'s summary lists it). Never part of the JSON report:
    /// scan's worker processes carry it beside the report.
    #[serde(skip)]
    pub possibly_stripped: Option<StrippedTraces>,
}

/// Why a file without a manifest may have lost one: its metadata names an AI generator, says
/// the image is AI-made, or points at a C2PA manifest it no longer carries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StrippedTraces {
    /// AI generators (registry ids) the metadata names.
    pub generators: Vec<String>,
    /// Why, in words.
    pub reasons: Vec<String>,
}

/// Who really signed: only set when the signer's chain is trusted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthenticatedSource {
    /// Subject O of the signing certificate.
    pub organization: String,
    /// The registry generator this signer is (id), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    pub authenticated_by: AuthenticatedBy,
    /// Which list (for trust-list), or `generator-pin`.
    pub list: TrustSource,
    /// New in 2: whether the signing certificate is fully trusted. `false` when the claim
    /// signature verifies and the chain verifies link by link to the anchor or pinned key
    /// named here (so the organisation, and the generator when set, is whose key signed), but
    /// validity time cannot be proven or the certificate fails the C2PA profile: see `limits`.
    /// The verdict is then never `authentic`.
    #[serde(default = "yes")]
    pub trusted: bool,
    /// New in 2: what stops full trust (empty when `trusted`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<TrustLimit>,
}

impl AuthenticatedSource {
    /// `who` as a one-line label for tables (CSV, scan summary): unchanged when the signer is
    /// fully trusted, marked when only its key was identified.
    pub fn label(&self, who: String) -> String {
        if self.trusted {
            who
        } else {
            format!("{who} (key identified, not fully trusted)")
        }
    }
}

fn yes() -> bool {
    true
}

/// New in 2: one thing that stops a genuine signer's certificate from being fully trusted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrustLimit {
    /// `certificate-expired`, `certificate-not-yet-valid`, `no-timestamp`,
    /// `timestamp-untrusted` (a TSA on no trust list), `timestamp-self-attested` (a TSA under
    /// the signer's own organisation's pinned key), `timestamp-invalid` (the token does not
    /// verify), `certificate-profile` (keyUsage / extendedKeyUsage / cA flag).
    pub code: String,
    /// In words, for people.
    pub explanation: String,
    /// The instant the limit is about (notAfter / notBefore), RFC 3339, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// One action of the active manifest (or an ingredient's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActionInfo {
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_agent: Option<String>,
    /// The IPTC term (`trainedAlgorithmicMedia`), not the full URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_source_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Manifest label it belongs to.
    pub manifest: String,
}

/// Integrity of one manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Integrity {
    Valid,
    Invalid,
    NoManifest,
}

/// An ingredient, with its own manifest's integrity and its own ingredients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IngredientNode {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `parentOf`, `componentOf`, `inputTo`.
    pub relationship: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Label of the ingredient's own manifest, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    pub integrity: Integrity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_generator: Option<String>,
    /// Subject O of the ingredient manifest's signer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer_organization: Option<String>,
    /// Whether provcheck trusts the ingredient manifest's signer chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer_trusted: Option<bool>,
    /// Failure codes reported for this ingredient.
    pub failures: Vec<String>,
    /// Failure codes a manifest of the store recorded for this ingredient's manifest when it
    /// took the ingredient in (its ingredient assertion's validation results): part of the
    /// signed history, not reported again in `validation`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recorded_failures: Vec<String>,
    pub ingredients: Vec<IngredientNode>,
}

/// One SDK status entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Status {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// `active` or the ingredient assertion URI the delta belongs to.
    pub scope: String,
    /// Label of the manifest this status is about (resolved exactly, not serialised).
    #[serde(skip)]
    pub manifest: Option<String>,
    /// The URL before bounding, for structural resolution (not serialised).
    #[serde(skip)]
    pub full_url: Option<String>,
}

/// All success / informational / failure codes the SDK reported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Validation {
    pub success: Vec<Status>,
    pub informational: Vec<Status>,
    pub failure: Vec<Status>,
}

/// The report for one file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    pub schema_version: u32,
    pub input: Input,
    pub verdict: Verdict,
    /// One line of plain English saying why.
    pub summary: String,
    pub reasons: Vec<Reason>,
    pub claimed_source: ClaimedSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticated_source: Option<AuthenticatedSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<ManifestInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<TimestampInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<TrustInfo>,
    pub actions: Vec<ActionInfo>,
    pub ingredients: Vec<IngredientNode>,
    /// Remote manifest URL referenced by the file (never fetched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_manifest: Option<String>,
    pub validation: Validation,
    /// Which validation path judged the manifest store: `provcheck` (provcheck's own, for the
    /// shapes it covers) or `c2pa` (the c2pa SDK's Reader). Absent when no store was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validated_by: Option<String>,
    /// Which bytes of the file the signature and the hashes protect (active manifest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageInfo>,
}

/// The coverage map of the active manifest: which file bytes its hard binding and its signed
/// claim protect, and which bytes nothing protects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CoverageInfo {
    /// `data-hash`, `box-hash`, `multi-asset` or `other` (BMFF and collection hashes: checked by
    /// the c2pa SDK, ranges not computed).
    pub binding: String,
    pub file_size: u64,
    /// Protected ranges, in file order.
    pub covered: Vec<CoveredRange>,
    /// Ranges no signature or hash covers (excluding the manifest store's own carriers).
    pub unprotected: Vec<CoveredRange>,
    pub unprotected_bytes: u64,
}

/// A byte range `[start, end)` of the file and what protects it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CoveredRange {
    pub start: u64,
    pub end: u64,
    pub by: String,
}

impl Report {
    /// A report for a file that could not be checked.
    pub fn error(input: Input, code: &str, explanation: impl Into<String>) -> Report {
        let explanation = explanation.into();
        Report {
            schema_version: SCHEMA_VERSION,
            input,
            verdict: Verdict::Error,
            summary: format!("could not be checked: {explanation}"),
            reasons: vec![Reason {
                code: code.to_string(),
                severity: Severity::Failure,
                explanation,
                scope: Some("file".into()),
            }],
            claimed_source: ClaimedSource::default(),
            authenticated_source: None,
            manifest: None,
            signature: None,
            timestamp: None,
            trust: None,
            actions: Vec::new(),
            ingredients: Vec::new(),
            remote_manifest: None,
            validation: Validation::default(),
            validated_by: None,
            coverage: None,
        }
    }

    /// A `provcheck.crashed` report: the check of `input` panicked with this message. For an
    /// embedder that catches panics around a check (as `provcheck scan` does).
    pub fn crashed(input: Input, panic_message: &str) -> Report {
        Report::error(input, crate::codes::CRASHED, crashed_text(panic_message))
    }

    /// A `provcheck.timeout` report: the check of `input` ran past `limit`; `setting` names the
    /// limit for the reader (`--file-timeout`).
    pub fn timed_out(input: Input, limit: std::time::Duration, setting: &str) -> Report {
        Report::error(input, crate::codes::TIMEOUT, timeout_text(limit, setting))
    }

    /// Reason codes, in order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.reasons.iter().map(|r| r.code.as_str())
    }
}

/// The explanation of a `provcheck.crashed` report for a panic with this message.
/// The message of a caught panic's payload.
pub(crate) fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

pub(crate) fn crashed_text(panic: &str) -> String {
    format!(
        "the check crashed (a bug in provcheck or the c2pa SDK; please report it): {}",
        bounded(panic, 400)
    )
}

/// The explanation of a `provcheck.timeout` report; `option` names the limit's flag.
pub(crate) fn timeout_text(timeout: std::time::Duration, option: &str) -> String {
    format!(
        "the check did not finish within {:.1} s ({option}); the file may be crafted to make parsers hang",
        timeout.as_secs_f64()
    )
}

/// Truncate an attacker-controlled string to `max` chars (char-boundary safe), marking the cut.
pub fn bounded(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::SignatureInfo;
    use crate::trust::CertSummary;

    /// `signature.signer` is one `CertSummary` in memory but keeps the report's own shape on the
    /// wire (names first, no key hash or cA flag, no null O/CN), and a worker's report read back
    /// writes the same bytes.
    #[test]
    fn signer_keeps_its_report_shape_and_round_trips() {
        let sig = SignatureInfo {
            signer: Some(CertSummary {
                subject: "CN=Leaf,O=Org".into(),
                issuer: "CN=CA".into(),
                serial: "01".into(),
                sha256: "aa".into(),
                spki_sha256: "bb".into(),
                not_before: "2024-01-01T00:00:00Z".into(),
                not_after: "2030-01-01T00:00:00Z".into(),
                key_algorithm: "ECDSA P-256".into(),
                is_ca: true,
                organization: Some("Org".into()),
                common_name: None,
                supplied_by: Some("bundled".into()),
            }),
            ..SignatureInfo::default()
        };
        let json = serde_json::to_string(&sig).unwrap();
        assert_eq!(
            json,
            r#"{"signer":{"subject":"CN=Leaf,O=Org","issuer":"CN=CA","organization":"Org","serial":"01","sha256":"aa","not_before":"2024-01-01T00:00:00Z","not_after":"2030-01-01T00:00:00Z","key_algorithm":"ECDSA P-256"},"chain":[]}"#
        );
        let back: SignatureInfo = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        let none: SignatureInfo = serde_json::from_str(r#"{"chain":[]}"#).unwrap();
        assert_eq!(none.signer, None);
    }
}
