//! What reading a manifest store yields, whichever path validated it: plain facts (`StoreFacts`)
//! that the trust, attribution and verdict stages consume.

use std::collections::{BTreeSet, HashMap, HashSet};

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
    /// ([`unreferenced`]): their claims and their problems are not the file's.
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

/// The manifests (`labels`) outside the active manifest's provenance, sorted: neither the
/// active manifest nor any manifest it takes in through an ingredient assertion (directly or
/// through theirs) takes them in. C2PA 2.x validates the active manifest and the ingredient
/// manifests it reaches ("Validate the ingredients"); a manifest nothing references is no
/// statement about this file, and anyone can add one to a signed store without touching a
/// byte the signature or the hard binding covers (the store is excluded from the binding).
/// `links` (manifest, the manifest it takes in) are the union of what the validating path and
/// provcheck's own structural reading resolved, so a link either of them sees keeps its
/// manifest in. Linear in the links: each manifest is entered once.
pub fn unreferenced<'a>(
    active: &str,
    labels: impl IntoIterator<Item = &'a str>,
    links: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to) in links {
        next.entry(from).or_default().push(to);
    }
    let mut reached: HashSet<&str> = HashSet::from([active]);
    let mut todo = vec![active];
    while let Some(m) = todo.pop() {
        for &to in next.get(m).into_iter().flatten() {
            if reached.insert(to) {
                todo.push(to);
            }
        }
    }
    let out: BTreeSet<String> = labels
        .into_iter()
        .filter(|l| !reached.contains(l))
        .map(str::to_string)
        .collect();
    out.into_iter().collect()
}

/// IPTC digital source type term from its URI (`.../digitalsourcetype/trainedAlgorithmicMedia`).
pub fn iptc_term(uri: &str) -> String {
    let t = uri.trim().trim_end_matches('/');
    bounded(t.rsplit('/').next().unwrap_or(t), 128)
}

#[cfg(test)]
mod tests {
    use super::unreferenced;

    #[test]
    fn only_manifests_the_active_one_does_not_reach_are_unreferenced() {
        let labels = [
            "active",
            "child",
            "grandchild",
            "orphan",
            "orphans-child",
            "loop",
        ];
        // a chain, a cycle back to the active manifest, an orphan with an ingredient of its own
        let links = [
            ("active", "child"),
            ("child", "grandchild"),
            ("grandchild", "active"),
            ("orphan", "orphans-child"),
            ("loop", "loop"),
        ];
        assert_eq!(
            unreferenced("active", labels, links),
            ["loop", "orphan", "orphans-child"]
        );
        // a link the other reading saw keeps its manifest in
        let more = links.into_iter().chain([("grandchild", "orphan")]);
        assert_eq!(unreferenced("active", labels, more), ["loop"]);
        // labels seen twice (both readings) are named once; the active manifest never
        assert_eq!(unreferenced("active", ["active", "x", "x"], []), ["x"]);
    }
}
