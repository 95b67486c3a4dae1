//! Reading a manifest: guard the input, run the c2pa Reader once, and turn what it found into
//! plain facts (`StoreFacts`) that the trust, attribution and verdict stages consume.

pub mod binding;
pub mod file;
pub mod guard;
pub mod jumbf;
pub mod metadata;
pub mod sniff;

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use c2pa::{Context, Reader};
use serde_json::Value;

use crate::report::{bounded, ActionInfo, GeneratorInfo, Status, Validation};
pub use sniff::Format;

/// Longest string kept from a manifest field.
pub const MAX_FIELD: usize = 1024;
/// Most manifests / ingredients / actions examined per file.
const MAX_ITEMS: usize = 256;

/// One manifest of the store, as facts.
#[derive(Clone, Debug, Default)]
pub struct ManifestFacts {
    pub label: String,
    pub claim_generator: Option<String>,
    pub claim_generator_info: Vec<GeneratorInfo>,
    pub title: Option<String>,
    pub format: Option<String>,
    pub instance_id: String,
    pub claim_version: Option<u8>,
    pub algorithm: Option<String>,
    /// Signing time as c2pa reports it (RFC 3339, from the time-stamp).
    pub signing_time: Option<String>,
    /// x5chain DER certificates, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// RFC 3161 token certificates (signer first when identifiable).
    pub tsa_chain: Vec<Vec<u8>>,
    pub actions: Vec<ActionInfo>,
    pub ingredients: Vec<IngredientFacts>,
    pub data_hash_exclusions: Vec<(u64, u64)>,
    /// The hard binding's hash value, lowercase hex (see `jumbf::RawManifest::content_hash`).
    pub content_hash: Option<String>,
}

/// One ingredient entry of a manifest.
#[derive(Clone, Debug, Default)]
pub struct IngredientFacts {
    pub title: Option<String>,
    pub relationship: String,
    pub format: Option<String>,
    /// Label of the ingredient's own manifest, if it has one in this store.
    pub manifest: Option<String>,
    /// Label of the ingredient assertion (used to match the SDK's per-ingredient deltas).
    pub assertion_label: Option<String>,
}

/// What the SDK found in a file with a manifest store.
#[derive(Clone, Debug, Default)]
pub struct StoreFacts {
    pub active: String,
    pub manifests: HashMap<String, ManifestFacts>,
    pub validation: Validation,
    /// Did the SDK report the active manifest's time-stamp as validated (`timeStamp.validated`)?
    pub timestamp_validated: bool,
    /// The manifest fields had to be recovered with CAWG identity decoding off.
    pub recovered_without_identity: bool,
}

impl StoreFacts {
    pub fn active(&self) -> Option<&ManifestFacts> {
        self.manifests.get(&self.active)
    }

    /// Failure codes whose scope is the ingredient assertion `assertion_label` of `parent`.
    pub fn ingredient_failures(&self, parent: &str, assertion_label: &str) -> Vec<&Status> {
        Self::scoped(&self.validation.failure, parent, assertion_label).collect()
    }

    /// Failure and informational codes of that ingredient assertion.
    pub fn ingredient_problems(&self, parent: &str, assertion_label: &str) -> Vec<&Status> {
        Self::scoped(&self.validation.failure, parent, assertion_label)
            .chain(Self::scoped(
                &self.validation.informational,
                parent,
                assertion_label,
            ))
            .collect()
    }

    fn scoped<'a>(
        list: &'a [Status],
        parent: &str,
        assertion_label: &str,
    ) -> impl Iterator<Item = &'a Status> {
        let suffix = format!("/{parent}/c2pa.assertions/{assertion_label}");
        list.iter().filter(move |s| s.scope.ends_with(&suffix))
    }
}

/// The outcome of reading one file.
#[derive(Debug)]
pub enum ReadOutcome {
    Manifest(Box<StoreFacts>),
    /// No embedded manifest; `remote` is a remote-manifest URL when the file references one.
    NoManifest {
        remote: Option<String>,
    },
    /// Could not be read: (provcheck or c2pa code, explanation).
    Failed {
        code: String,
        explanation: String,
    },
}

/// The two c2pa contexts a read may use: the normal one, and one that does not decode CAWG
/// identity assertions, used only to recover the manifest's fields when an undecodable identity
/// assertion made the SDK drop the whole manifest from its report ("Failed to load manifest").
pub struct Contexts {
    pub full: Arc<Context>,
    pub without_identity: Arc<Context>,
}

/// Run the c2pa Reader over bytes already in memory (read once, hashed once by the caller).
pub fn read_manifest(data: &[u8], format: Format, contexts: &Contexts) -> ReadOutcome {
    let context = &contexts.full;
    if matches!(format, Format::Tiff | Format::Dng) {
        if let Err(e) = guard::check_tiff(data) {
            return ReadOutcome::Failed {
                code: "provcheck.asset.hostile".into(),
                explanation: format!("refused before parsing: {e}"),
            };
        }
    }
    let reader = Reader::from_shared_context(context).with_stream(format.mime(), Cursor::new(data));
    let reader = match reader {
        Ok(r) => r,
        Err(e) => return outcome_from_error(e),
    };
    let Some(active) = reader.active_label().map(str::to_string) else {
        return ReadOutcome::Failed {
            code: "claim.missing".into(),
            explanation: "the manifest store has no active manifest".into(),
        };
    };
    let mut facts = StoreFacts {
        active,
        ..Default::default()
    };
    collect_validation(&reader, &mut facts);
    let raw: HashMap<String, jumbf::RawManifest> =
        c2pa::jumbf_io::load_jumbf_from_memory(format.mime(), data)
            .map(|store| jumbf::parse_store(&store))
            .unwrap_or_default()
            .into_iter()
            .map(|m| (m.label.clone(), m))
            .collect();
    for m in reader.iter_manifests().take(MAX_ITEMS) {
        let mf = manifest_facts(m, raw.get(m.label().unwrap_or_default()));
        facts.manifests.insert(mf.label.clone(), mf);
    }
    if !facts.manifests.contains_key(&facts.active) {
        // The SDK validated the store but could not build the active manifest's report (seen
        // with an undecodable CAWG identity assertion). Recover the fields without CAWG
        // decoding; the validation results above stay those of the full read.
        if let Ok(r) = Reader::from_shared_context(&contexts.without_identity)
            .with_stream(format.mime(), Cursor::new(data))
        {
            for m in r.iter_manifests().take(MAX_ITEMS) {
                let label = m.label().unwrap_or_default();
                if !facts.manifests.contains_key(label) {
                    let mf = manifest_facts(m, raw.get(label));
                    facts.manifests.insert(mf.label.clone(), mf);
                }
            }
            facts.recovered_without_identity = true;
        }
    }
    ReadOutcome::Manifest(Box::new(facts))
}

fn outcome_from_error(e: c2pa::Error) -> ReadOutcome {
    use c2pa::Error as E;
    let (code, explanation) = match &e {
        E::JumbfNotFound | E::ProvenanceMissing | E::JumbfBoxNotFound => {
            return ReadOutcome::NoManifest { remote: None }
        }
        E::RemoteManifestUrl(url) | E::RemoteManifestFetch(url) => {
            return ReadOutcome::NoManifest {
                remote: Some(bounded(url, MAX_FIELD)),
            }
        }
        E::UnsupportedType => (
            "provcheck.format.unsupported",
            "the c2pa SDK does not support this file type".to_string(),
        ),
        E::UnknownAlgorithm | E::CoseSignatureAlgorithmNotSupported => (
            "algorithm.unsupported",
            format!("the claim signature uses an unsupported algorithm ({e})"),
        ),
        E::PrereleaseError => (
            "provcheck.manifest.prerelease",
            "the manifest was made with a pre-release version of the C2PA specification".into(),
        ),
        E::JumbfParseError(_) | E::InvalidClaim(_) | E::ClaimDecoding(_) | E::CborError(_) => (
            "provcheck.manifest.malformed",
            format!("the manifest store is malformed: {e}"),
        ),
        E::IoError(_) => (
            "provcheck.asset.truncated",
            format!("the file ended or broke while reading the manifest: {e}"),
        ),
        E::TooManyManifestStores => (
            "provcheck.manifest.malformed",
            "more than one manifest store in the file".into(),
        ),
        E::InsufficientMemory => (
            "provcheck.limit.memory",
            "the manifest exceeds the SDK's memory limits".into(),
        ),
        E::InvalidAsset(_)
        | E::BmffError(_)
        | E::GifError(_)
        | E::JpegError(_)
        | E::Mp3Error(_)
        | E::FlacError(_)
        | E::PngError(_)
        | E::RiffError(_)
        | E::SvgError(_)
        | E::TiffError(_) => (
            "provcheck.asset.malformed",
            format!("the file's container is malformed: {e}"),
        ),
        _ => (
            "general.error",
            format!("the c2pa SDK could not read the manifest: {e}"),
        ),
    };
    ReadOutcome::Failed {
        code: code.into(),
        explanation: bounded(&explanation, MAX_FIELD),
    }
}

fn status(s: &c2pa::validation_status::ValidationStatus, scope: &str) -> Status {
    Status {
        code: s.code().to_string(),
        url: s.url().map(|u| bounded(u, MAX_FIELD)),
        explanation: s.explanation().map(|e| bounded(e, MAX_FIELD)),
        scope: scope.to_string(),
    }
}

fn collect_validation(reader: &Reader, facts: &mut StoreFacts) {
    let Some(vr) = reader.validation_results() else {
        return;
    };
    let v = &mut facts.validation;
    if let Some(a) = vr.active_manifest() {
        v.success
            .extend(a.success().iter().map(|s| status(s, "active")));
        v.informational
            .extend(a.informational().iter().map(|s| status(s, "active")));
        v.failure
            .extend(a.failure().iter().map(|s| status(s, "active")));
        facts.timestamp_validated = a
            .success()
            .iter()
            .any(|s| s.code() == "timeStamp.validated");
    }
    for d in vr.ingredient_deltas().into_iter().flatten().take(MAX_ITEMS) {
        let scope = bounded(d.ingredient_assertion_uri(), MAX_FIELD);
        let codes = d.validation_deltas();
        v.success
            .extend(codes.success().iter().map(|s| status(s, &scope)));
        v.informational
            .extend(codes.informational().iter().map(|s| status(s, &scope)));
        v.failure
            .extend(codes.failure().iter().map(|s| status(s, &scope)));
    }
}

fn opt(s: Option<&str>) -> Option<String> {
    s.map(|s| bounded(s, MAX_FIELD))
}

fn manifest_facts(m: &c2pa::Manifest, raw: Option<&jumbf::RawManifest>) -> ManifestFacts {
    let label = m.label().unwrap_or_default().to_string();
    let sig = m.signature_info();
    let mut chain = raw
        .and_then(|r| r.signature.as_deref())
        .map(jumbf::x5chain)
        .unwrap_or_default();
    if chain.is_empty() {
        chain = sig.map(|s| pem_certs(s.cert_chain())).unwrap_or_default();
    }
    let tsa_chain = raw
        .and_then(|r| r.signature.as_deref())
        .map(jumbf::timestamp_tokens)
        .unwrap_or_default()
        .first()
        .map(|token| tsa_chain(token))
        .unwrap_or_default();
    let claim_generator_info = m
        .claim_generator_info
        .iter()
        .flatten()
        .take(16)
        .map(|g| GeneratorInfo {
            name: bounded(&g.name, MAX_FIELD),
            version: opt(g.version.as_deref()),
        })
        .collect();
    let ingredients = m
        .ingredients()
        .iter()
        .take(MAX_ITEMS)
        .map(|i| IngredientFacts {
            title: opt(i.title()),
            relationship: relationship_name(i.relationship()),
            format: opt(i.format()),
            manifest: opt(i.active_manifest()),
            assertion_label: opt(i.label()),
        })
        .collect();
    ManifestFacts {
        claim_generator: opt(m.claim_generator()),
        claim_generator_info,
        title: opt(m.title()),
        format: opt(m.format()),
        instance_id: bounded(m.instance_id(), MAX_FIELD),
        claim_version: m.claim_version(),
        algorithm: sig.and_then(|s| s.alg).map(|a| a.to_string()),
        signing_time: sig.and_then(|s| s.time.clone()),
        chain,
        tsa_chain,
        actions: actions(m, &label),
        ingredients,
        data_hash_exclusions: raw
            .map(|r| r.data_hash_exclusions.clone())
            .unwrap_or_default(),
        content_hash: raw.and_then(|r| r.content_hash.as_deref()).map(hex::encode),
        label,
    }
}

fn relationship_name(r: &c2pa::Relationship) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

/// The TSA chain of a token: the signer certificate first (as c2pa identifies it), then the rest.
fn tsa_chain(token: &[u8]) -> Vec<Vec<u8>> {
    let mut certs = jumbf::token_certificates(token);
    if let Ok(Some(signer)) = c2pa::crypto::time_stamp::tsa_signer_cert_der_from_token(token) {
        certs.retain(|c| c != &signer);
        certs.insert(0, signer);
    }
    certs
}

fn pem_certs(pem: &str) -> Vec<Vec<u8>> {
    x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes())
        .filter_map(Result::ok)
        .map(|p| p.contents)
        .collect()
}

/// IPTC digital source type term from its URI (`.../digitalsourcetype/trainedAlgorithmicMedia`).
pub fn iptc_term(uri: &str) -> String {
    let t = uri.trim().trim_end_matches('/');
    bounded(t.rsplit('/').next().unwrap_or(t), 128)
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(bounded(s, MAX_FIELD)),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(|name| {
            let version = o.get("version").and_then(Value::as_str);
            bounded(
                &match version {
                    Some(ver) => format!("{name} {ver}"),
                    None => name.to_string(),
                },
                MAX_FIELD,
            )
        }),
        _ => None,
    }
}

fn actions(m: &c2pa::Manifest, label: &str) -> Vec<ActionInfo> {
    let mut out = Vec::new();
    for a in m
        .assertions()
        .iter()
        .filter(|a| a.label().starts_with("c2pa.actions"))
    {
        let Ok(v) = a.value() else { continue };
        let Some(list) = v.get("actions").and_then(Value::as_array) else {
            continue;
        };
        for act in list.iter().take(MAX_ITEMS) {
            let Some(name) = act.get("action").and_then(Value::as_str) else {
                continue;
            };
            out.push(ActionInfo {
                action: bounded(name, 128),
                software_agent: act.get("softwareAgent").and_then(text_of),
                digital_source_type: act
                    .get("digitalSourceType")
                    .and_then(Value::as_str)
                    .map(iptc_term),
                description: act
                    .get("description")
                    .and_then(Value::as_str)
                    .map(|d| bounded(d, MAX_FIELD)),
                manifest: label.to_string(),
            });
        }
    }
    out
}
