//! What reading a manifest store yields, whichever path validated it: plain facts (`StoreFacts`)
//! that the trust, attribution and verdict stages consume.

use std::collections::HashMap;

use super::{binding, jumbf, locate};
use crate::report::{bounded, ActionInfo, GeneratorInfo, Status, Validation};

/// Longest string kept from a manifest field.
pub const MAX_FIELD: usize = 1024;
/// Longest claim-of-origin string kept for matching against the generator registry (claim
/// generator, softwareAgent): a name placed after kilobytes of padding must still be seen.
/// Output bounds these to [`MAX_FIELD`].
pub const MAX_CLAIM_FIELD: usize = 65_536;
/// Most manifests / ingredients / actions examined per file.
pub(crate) const MAX_ITEMS: usize = 256;

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
    /// The hard binding's hash value, lowercase hex (see `jumbf::RawManifest::content_hash`).
    pub content_hash: Option<String>,
    /// The COSE header carries a time-stamp entry (`sigTst`/`sigTst2`), readable or not.
    pub has_timestamp_header: bool,
    /// Time-stamp tokens that could be extracted.
    pub timestamp_tokens: usize,
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
    /// provcheck's own structural reading of the store.
    pub raw: jumbf::Store,
    /// The store's place in the file (JPEG, PNG).
    pub located: Option<locate::Located>,
    /// provcheck's own hard-binding checks of the active manifest.
    pub binding: binding::BindingCheck,
    /// Which validation path judged the store.
    pub validated_by: Engine,
    /// Manifests of the store outside the active manifest's provenance, sorted
    /// ([`super::unreferenced`]): their claims and their problems are not the file's.
    pub unreferenced: Vec<String>,
}

/// The validation path that judged a store: provcheck's own (`read::fast`) or the c2pa SDK's
/// `Reader`. Reported as `validated_by`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    #[default]
    C2pa,
    Provcheck,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::C2pa => "c2pa",
            Engine::Provcheck => "provcheck",
        }
    }
}

impl StoreFacts {
    pub fn active(&self) -> Option<&ManifestFacts> {
        self.manifests.get(&self.active)
    }

    /// Failure statuses about manifest `label`.
    pub fn failures_of<'a>(&'a self, label: &'a str) -> impl Iterator<Item = &'a Status> + 'a {
        self.validation
            .failure
            .iter()
            .filter(move |s| s.manifest.as_deref() == Some(label))
    }

    /// Failure and informational statuses about manifest `label`.
    pub fn problems_of<'a>(&'a self, label: &'a str) -> impl Iterator<Item = &'a Status> + 'a {
        self.validation
            .failure
            .iter()
            .chain(&self.validation.informational)
            .filter(move |s| s.manifest.as_deref() == Some(label))
    }
}

/// IPTC digital source type term from its URI (`.../digitalsourcetype/trainedAlgorithmicMedia`).
pub fn iptc_term(uri: &str) -> String {
    let t = uri.trim().trim_end_matches('/');
    bounded(t.rsplit('/').next().unwrap_or(t), 128)
}
