//! Generator registry: which organisation a claimed generator ("Azure OpenAI", "DALL·E", "Adobe Firefly",
//! "Google Imagen" ...) belongs to, which certificate subject `O` values that organisation signs with, and which
//! CA keys (SubjectPublicKeyInfo SHA-256 pins) back it.
//!
//! The data lives in `data/generators.toml` (format documented at the top of that file and in `data/README.md`)
//! and is compiled in; `--generators FILE` can add or replace entries with [`Registry::extend`].
//!
//! Semantics applied by the rest of provcheck:
//! * a claim string (claim_generator, claim_generator_info name, softwareAgent, XMP CreatorTool, EXIF Software,
//!   PNG text chunk ...) *names* generator G when one of G's product patterns matches it ([`Registry::match_claim`]);
//! * a claim of G is *backed* when the signer chain is trusted (trust list, or reaches one of G's pins) and the
//!   leaf subject `O` is one of G's `leaf_organizations`;
//! * a leaf with one of G's `leaf_organizations` that reaches none of G's pins and no trust list is impersonation
//!   when G has pins, merely unverified when it has none.
//!
//! Claim strings are attacker-controlled: matching looks at no more than [`MAX_CLAIM_BYTES`] bytes of a string,
//! uses only the linear-time `regex` crate, and returns matched text of at most [`MAX_MATCHED_CHARS`] characters.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::{self, pikevm, pikevm::PikeVM};
use regex_automata::util::pool::Pool;
use serde::{Deserialize, Serialize, Serializer};

/// The bundled registry data (`data/generators.toml`); provcheck reads [`BUNDLED_JSON`], and a
/// unit test holds the two to the same registry.
#[cfg(test)]
pub const BUNDLED_TOML: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/generators.toml"));
/// The same document as JSON, written by build.rs: what [`Registry::bundled`] reads (a tenth of
/// the TOML parse's time, which was most of building a `Verifier`).
const BUNDLED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/bundled_registry.json"));

/// Only this many bytes (cut back to a char boundary) of a claim string are searched.
pub const MAX_CLAIM_BYTES: usize = 65_536;
/// [`ClaimMatch::matched`] is cut to this many characters.
pub const MAX_MATCHED_CHARS: usize = 128;

const SCHEMA_VERSION: u32 = 1;
const MAX_ID_LEN: usize = 64;
const MAX_PATTERN_LEN: usize = 1024;
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const PIN_ROLES: [&str; 3] = ["issuing-ca", "ica", "root"];

/// Errors from reading a generator registry (TOML).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("generator registry is not valid TOML or has unexpected fields: {0}")]
    Toml(String),
    #[error("unsupported generator registry schema_version {0} (expected {SCHEMA_VERSION})")]
    SchemaVersion(u32),
    #[error("generator #{index}: invalid id {id:?} (use 1-{MAX_ID_LEN} characters a-z, 0-9, '-')")]
    InvalidId { index: usize, id: String },
    #[error("duplicate generator id {0:?}")]
    DuplicateId(String),
    #[error("generator {id:?}: unknown kind {kind:?} (expected ai-generator, editor, device, capture-app or service)")]
    UnknownKind { id: String, kind: String },
    #[error("generator {id:?}, product {product:?}: invalid pattern {pattern:?}: {message}")]
    BadPattern {
        id: String,
        product: String,
        pattern: String,
        message: String,
    },
    #[error(
        "generator {id:?}, pin {subject:?}: spki_sha256 must be 64 hex characters, got {value:?}"
    )]
    BadSpki {
        id: String,
        subject: String,
        value: String,
    },
    #[error("generator {id:?}, pin {subject:?}: unknown role {role:?} (expected issuing-ca, ica or root)")]
    UnknownRole {
        id: String,
        subject: String,
        role: String,
    },
    #[error("name {name:?} is used by both generator {first:?} and generator {second:?}")]
    AmbiguousName {
        name: String,
        first: String,
        second: String,
    },
    #[error("generator {id:?}: {message}")]
    Invalid { id: String, message: String },
}

/// The organisation's main C2PA role (informational).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GeneratorKind {
    AiGenerator,
    Editor,
    Device,
    CaptureApp,
    Service,
}

impl GeneratorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GeneratorKind::AiGenerator => "ai-generator",
            GeneratorKind::Editor => "editor",
            GeneratorKind::Device => "device",
            GeneratorKind::CaptureApp => "capture-app",
            GeneratorKind::Service => "service",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ai-generator" => GeneratorKind::AiGenerator,
            "editor" => GeneratorKind::Editor,
            "device" => GeneratorKind::Device,
            "capture-app" => GeneratorKind::CaptureApp,
            "service" => GeneratorKind::Service,
            _ => return None,
        })
    }
}

/// One product of a generator and the regexes that recognise it in a claim string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Product {
    pub name: String,
    pub patterns: Vec<String>,
    /// Makes AI-generated media (`ai` in the TOML; default: the generator's kind is
    /// `ai-generator`). Photoshop is not, Firefly is.
    pub ai: bool,
}

/// A pinned CA key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pin {
    /// RFC 4514 subject as in `trust/INVENTORY.tsv` (informational; the key hash is what counts).
    pub subject: String,
    /// SHA-256 of the DER SubjectPublicKeyInfo.
    #[serde(serialize_with = "serialize_hex")]
    pub spki_sha256: [u8; 32],
    /// `issuing-ca`, `ica` or `root`.
    pub role: String,
    /// Where the certificate was taken from.
    pub source: String,
}

impl Pin {
    pub fn spki_hex(&self) -> String {
        hex::encode(self.spki_sha256)
    }
}

fn serialize_hex<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}

/// One organisation.
#[derive(Clone, Debug, Serialize)]
pub struct Generator {
    pub id: String,
    pub organization: String,
    pub kind: GeneratorKind,
    pub leaf_organizations: Vec<String>,
    pub aliases: Vec<String>,
    pub products: Vec<Product>,
    pub pins: Vec<Pin>,
    pub sources: Vec<String>,
    #[serde(skip)]
    matchers: Vec<Matcher>,
    #[serde(skip)]
    leaf_org_keys: Vec<String>,
}

#[derive(Clone, Debug)]
struct Matcher {
    product: usize,
    /// Shared by clones of the registry, so a pattern is compiled at most once per process.
    regex: Arc<LazyRegex>,
}

/// A pattern compiled on first use (see [`prefilter`]): most runs need only a few of them.
/// Two builds of the same pattern, with the same syntax and match semantics (Unicode, UTF-8,
/// leftmost-first), differ only in the engines they run. Claim strings are short, and for
/// them the PikeVM alone is fast: [`Light`] compiles in a fraction of the time of the full
/// engine set (whose lazy DFA, one-pass DFA and literal prefilter were most of a first claim
/// match, so most of a one-file `verify`). A long string (an attacker can write
/// [`MAX_CLAIM_BYTES`]) gets the full set, whose lazy DFA keeps the search linear and fast; it
/// is compiled only when one occurs.
#[derive(Debug)]
struct LazyRegex {
    pattern: String,
    short: OnceLock<Light>,
    long: OnceLock<Regex>,
}

/// Strings up to this many bytes use the light build of a pattern.
const SHORT_HAYSTACK: usize = 1024;

impl LazyRegex {
    fn new(pattern: &str) -> LazyRegex {
        LazyRegex {
            pattern: pattern.to_string(),
            short: OnceLock::new(),
            long: OnceLock::new(),
        }
    }

    /// `(start, end)` of every match in `hay`, in order (leftmost-first, non-overlapping), from
    /// the build for a haystack of its length. Patterns of a registry built by
    /// [`Registry::from_toml`] were compiled (and validated) while loading; the bundled
    /// registry's are validated by a unit test, so compiling cannot fail here (a failure would
    /// be a build defect, and panics loudly).
    fn for_each_match(&self, hay: &str, mut found: impl FnMut(usize, usize)) {
        let failed = |e: String| -> ! {
            panic!("registry pattern {:?} does not compile: {e}", self.pattern)
        };
        if hay.len() <= SHORT_HAYSTACK {
            self.short
                .get_or_init(|| Light::compile(&self.pattern).unwrap_or_else(|e| failed(e)))
                .for_each_match(hay, found);
        } else {
            let full = self
                .long
                .get_or_init(|| compile_full(&self.pattern).unwrap_or_else(|e| failed(e)));
            for m in full.find_iter(hay) {
                found(m.start(), m.end());
            }
        }
    }
}

type CacheFn = Box<dyn Fn() -> pikevm::Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The light build: the pattern's Thompson NFA run by the PikeVM, which is what the `regex`
/// crate's meta engine runs when its other engines are off, with the same syntax and NFA
/// settings (`meta::Config`'s defaults), so the matches are the same (unit test
/// `light_and_full_pattern_builds_match_alike`). Every light build goes through one shared
/// compiler: a compiler sets up a 10,000-entry table for Unicode classes the first time it
/// meets one (every `(?i)` pattern has some), and building each pattern with a compiler of its
/// own repeated that, which was half of compiling it.
struct Light {
    vm: PikeVM,
    caches: Pool<pikevm::Cache, CacheFn>,
}

impl std::fmt::Debug for Light {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Light").finish_non_exhaustive()
    }
}

impl Light {
    fn compile(pattern: &str) -> Result<Light, String> {
        static COMPILER: std::sync::Mutex<Option<thompson::Compiler>> = std::sync::Mutex::new(None);
        let hir = regex_automata::util::syntax::parse(pattern).map_err(|e| e.to_string())?;
        let nfa = {
            let mut shared = COMPILER.lock().unwrap_or_else(|e| e.into_inner());
            shared
                .get_or_insert_with(|| {
                    let mut c = thompson::Compiler::new();
                    c.configure(
                        thompson::Config::new()
                            .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                            .shrink(false),
                    );
                    c
                })
                .build_from_hir(&hir)
                .map_err(|e| e.to_string())?
        };
        let vm = PikeVM::new_from_nfa(nfa).map_err(|e| e.to_string())?;
        let for_pool = vm.clone();
        let create: CacheFn = Box::new(move || for_pool.create_cache());
        Ok(Light {
            vm,
            caches: Pool::new(create),
        })
    }

    fn is_match(&self, hay: &str) -> bool {
        self.vm.is_match(&mut self.caches.get(), hay)
    }

    /// `(start, end)` of every match in `hay`, in order.
    fn for_each_match(&self, hay: &str, mut found: impl FnMut(usize, usize)) {
        for m in self.vm.find_iter(&mut self.caches.get(), hay) {
            found(m.start(), m.end());
        }
    }
}

/// A pattern with the `regex` crate's syntax and semantics, all of its engines.
fn compile_full(pattern: &str) -> Result<Regex, String> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(REGEX_SIZE_LIMIT)
        .dfa_size_limit(Some(REGEX_SIZE_LIMIT));
    meta::Builder::new()
        .configure(config)
        .build(pattern)
        .map_err(|e| e.to_string())
}

impl Generator {
    /// Whether the generator has pinned keys (then an unanchored leaf with its O is impersonation).
    pub fn has_pins(&self) -> bool {
        !self.pins.is_empty()
    }

    /// Whether `o` (a leaf subject O value) is one of this generator's leaf organizations
    /// (case-insensitive, whitespace-normalised, RFC 4514 backslash escapes tolerated).
    pub fn has_leaf_organization(&self, o: &str) -> bool {
        let key = org_key(o);
        !key.is_empty() && self.leaf_org_keys.contains(&key)
    }

    /// The pin with this SPKI hash, if any.
    pub fn pin_for_spki(&self, spki_sha256: &[u8; 32]) -> Option<&Pin> {
        self.pins.iter().find(|p| &p.spki_sha256 == spki_sha256)
    }
}

/// A generator named by a claim string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimMatch {
    /// Generator id.
    pub generator: String,
    /// Product name.
    pub product: String,
    /// The matched part of the claim string (at most [`MAX_MATCHED_CHARS`] characters).
    pub matched: String,
}

/// The generator registry. Immutable after loading (except [`Registry::extend`]); `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Registry {
    generators: Vec<Generator>,
    /// Which patterns can match a string, over all generators' matchers in order; built on the
    /// first match, reset by [`Registry::extend`].
    prefilter: Arc<OnceLock<prefilter::Prefilter>>,
}

#[derive(Clone, Copy, Debug)]
struct Hit {
    generator: usize,
    product: usize,
    start: usize,
    end: usize,
}

impl Hit {
    fn len(&self) -> usize {
        self.end - self.start
    }
}

// ----- raw file format -----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema_version: u32,
    #[serde(default)]
    generator: Vec<RawGenerator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGenerator {
    id: String,
    organization: String,
    kind: String,
    #[serde(default)]
    leaf_organizations: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    product: Vec<RawProduct>,
    #[serde(default)]
    pin: Vec<RawPin>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    name: String,
    patterns: Vec<String>,
    #[serde(default)]
    ai: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPin {
    subject: String,
    spki_sha256: String,
    role: String,
    source: String,
}

impl Registry {
    /// The compiled-in registry. Panics only if the bundled data file is invalid (a unit test guards that).
    /// Its patterns are compiled lazily, only those a claim string may match (the unit test
    /// `bundled_file_parses_and_is_consistent` compiles and validates every one).
    pub fn bundled() -> Registry {
        static BUNDLED: OnceLock<Registry> = OnceLock::new();
        BUNDLED
            .get_or_init(|| {
                match serde_json::from_str(BUNDLED_JSON)
                    .map_err(|e| RegistryError::Toml(e.to_string()))
                    .and_then(|raw| Registry::from_raw(raw, false))
                {
                    Ok(r) => r,
                    Err(e) => panic!("bundled data/generators.toml is invalid: {e}"),
                }
            })
            .clone()
    }

    /// Parse and validate a registry file: known schema version and fields, unique ids (and no name shared by two
    /// generators), known kinds and pin roles, regexes that compile and cannot match the empty string,
    /// 64-hex-character SPKI hashes, no leaf organization claimed by two generators.
    pub fn from_toml(text: &str) -> Result<Registry, RegistryError> {
        Registry::parse(text, true)
    }

    /// `validate_patterns`: compile every pattern now (and refuse bad ones); otherwise patterns
    /// are compiled on first use and must be known good (the bundled file).
    fn parse(text: &str, validate_patterns: bool) -> Result<Registry, RegistryError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| RegistryError::Toml(e.to_string()))?;
        Registry::from_raw(raw, validate_patterns)
    }

    fn from_raw(raw: RawFile, validate_patterns: bool) -> Result<Registry, RegistryError> {
        if raw.schema_version != SCHEMA_VERSION {
            return Err(RegistryError::SchemaVersion(raw.schema_version));
        }
        let mut generators: Vec<Generator> = Vec::with_capacity(raw.generator.len());
        for (index, g) in raw.generator.into_iter().enumerate() {
            let generator = build_generator(index, g, validate_patterns)?;
            if generators.iter().any(|o| o.id == generator.id) {
                return Err(RegistryError::DuplicateId(generator.id));
            }
            generators.push(generator);
        }
        check_names_disjoint(&generators)?;
        Ok(Registry {
            generators,
            prefilter: Arc::default(),
        })
    }

    /// `--generators FILE`: entries of `other` whose id already exists replace the old entry (in place); new ids
    /// are appended. When two generators end up listing the same leaf organization or name, the earlier one wins
    /// in [`Registry::by_leaf_organization`] / [`Registry::resolve`]: reuse an existing id to change its data.
    pub fn extend(&mut self, other: Registry) {
        for g in other.generators {
            match self.generators.iter_mut().find(|o| o.id == g.id) {
                Some(slot) => *slot = g,
                None => self.generators.push(g),
            }
        }
        self.prefilter = Arc::default();
    }

    pub fn generators(&self) -> &[Generator] {
        &self.generators
    }

    /// Generator by id (ids are lowercase; the lookup lowercases its argument).
    pub fn get(&self, id: &str) -> Option<&Generator> {
        let id = id.trim().to_lowercase();
        self.generators.iter().find(|g| g.id == id)
    }

    /// Does a claim naming `generator` (and `product`, when known) say the media is AI-made?
    pub fn is_ai(&self, generator: &str, product: Option<&str>) -> bool {
        let Some(g) = self.get(generator) else {
            return false;
        };
        match product.and_then(|p| g.products.iter().find(|x| x.name == p)) {
            Some(p) => p.ai,
            None => g.kind == GeneratorKind::AiGenerator,
        }
    }

    /// Which generators/products a claim string names. Only the first [`MAX_CLAIM_BYTES`] bytes are searched and
    /// `_` is read as a space. Overlap rule: when matches of different generators overlap, only the longest
    /// survives (ties: the generator listed first). At most one [`ClaimMatch`] per generator (its longest
    /// surviving match), ordered by position in the string.
    pub fn match_claim(&self, text: &str) -> Vec<ClaimMatch> {
        let text = truncate_bytes(text, MAX_CLAIM_BYTES);
        let mut best = self.best_hits(text);
        best.sort_by_key(|h| (h.start, h.generator));
        best.into_iter()
            .map(|h| self.to_claim_match(text, h))
            .collect()
    }

    /// `--expect SOURCE`: case-insensitive (and `_`/whitespace-insensitive) match on id, then organization, then
    /// aliases, then product names; failing those, the generator whose product pattern has the longest match in
    /// `source`.
    pub fn resolve(&self, source: &str) -> Option<&Generator> {
        let key = name_key(source);
        if key.is_empty() {
            return None;
        }
        let passes: [&dyn Fn(&Generator) -> bool; 4] = [
            &|g| name_key(&g.id) == key,
            &|g| name_key(&g.organization) == key,
            &|g| g.aliases.iter().any(|a| name_key(a) == key),
            &|g| g.products.iter().any(|p| name_key(&p.name) == key),
        ];
        for pass in passes {
            if let Some(g) = self.generators.iter().find(|g| pass(g)) {
                return Some(g);
            }
        }
        let text = truncate_bytes(source, MAX_CLAIM_BYTES);
        self.best_hits(text)
            .into_iter()
            .max_by(|a, b| a.len().cmp(&b.len()).then(b.start.cmp(&a.start)))
            .map(|h| &self.generators[h.generator])
    }

    /// The generator whose `leaf_organizations` contains this subject O value (case-insensitive,
    /// whitespace-normalised, RFC 4514 backslash escapes tolerated). First in registry order if several.
    pub fn by_leaf_organization(&self, o: &str) -> Option<&Generator> {
        let key = org_key(o);
        if key.is_empty() {
            return None;
        }
        self.generators
            .iter()
            .find(|g| g.leaf_org_keys.contains(&key))
    }

    /// Every pin with its generator, for the trust engine. A key may be pinned by more than one generator (Truepic's
    /// WebClaimSigningCA backs both `truepic` and `openai`, each with its own leaf O).
    pub fn pins(&self) -> impl Iterator<Item = (&Generator, &Pin)> {
        self.generators
            .iter()
            .flat_map(|g| g.pins.iter().map(move |p| (g, p)))
    }

    /// All (generator, pin) pairs whose pinned key has this SPKI hash.
    #[cfg(test)]
    pub fn pins_for_spki<'a>(
        &'a self,
        spki_sha256: &'a [u8; 32],
    ) -> impl Iterator<Item = (&'a Generator, &'a Pin)> + 'a {
        self.pins()
            .filter(move |(_, p)| &p.spki_sha256 == spki_sha256)
    }

    /// Surviving hits, at most one (the longest) per generator. `text` must already be truncated.
    fn best_hits(&self, text: &str) -> Vec<Hit> {
        self.best_hits_with(text, true)
    }

    /// Patterns the prefilter rules out are skipped (they cannot match); `filtered: false` runs
    /// every pattern (the tests compare both).
    fn best_hits_with(&self, text: &str, filtered: bool) -> Vec<Hit> {
        let hay: Cow<'_, str> = if text.contains('_') {
            // '_' -> ' ' keeps byte offsets (both one byte), so offsets index `text` too.
            Cow::Owned(text.replace('_', " "))
        } else {
            Cow::Borrowed(text)
        };
        let candidates = filtered.then(|| {
            self.prefilter
                .get_or_init(|| {
                    prefilter::Prefilter::build(
                        self.generators
                            .iter()
                            .flat_map(|g| g.matchers.iter().map(|m| m.regex.pattern.as_str())),
                    )
                })
                .candidates(&hay)
        });
        let mut hits = Vec::new();
        let mut k = 0; // index of the matcher over all generators, as the prefilter numbers them
        for (gi, g) in self.generators.iter().enumerate() {
            for m in &g.matchers {
                k += 1;
                if candidates.as_ref().is_some_and(|c| !c[k - 1]) {
                    continue;
                }
                m.regex.for_each_match(hay.as_ref(), |start, end| {
                    if start < end {
                        hits.push(Hit {
                            generator: gi,
                            product: m.product,
                            start,
                            end,
                        });
                    }
                });
            }
        }
        hits.sort_by(|a, b| {
            b.len()
                .cmp(&a.len())
                .then(a.start.cmp(&b.start))
                .then(a.generator.cmp(&b.generator))
                .then(a.product.cmp(&b.product))
        });
        let mut accepted: Vec<Hit> = Vec::new();
        for h in hits {
            let beaten = accepted
                .iter()
                .any(|a| a.generator != h.generator && a.start < h.end && h.start < a.end);
            if !beaten {
                accepted.push(h);
            }
        }
        // `accepted` is ordered longest first, so the first hit of each generator is its longest.
        let mut best: Vec<Hit> = Vec::new();
        for h in accepted {
            if !best.iter().any(|b| b.generator == h.generator) {
                best.push(h);
            }
        }
        best
    }

    fn to_claim_match(&self, text: &str, h: Hit) -> ClaimMatch {
        let g = &self.generators[h.generator];
        let matched = text.get(h.start..h.end).unwrap_or_default();
        ClaimMatch {
            generator: g.id.clone(),
            product: g.products[h.product].name.clone(),
            matched: truncate_chars(matched, MAX_MATCHED_CHARS).to_string(),
        }
    }
}

fn build_generator(
    index: usize,
    g: RawGenerator,
    validate_patterns: bool,
) -> Result<Generator, RegistryError> {
    let id = g.id;
    if id.is_empty()
        || id.len() > MAX_ID_LEN
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(RegistryError::InvalidId { index, id });
    }
    let invalid = |message: &str| RegistryError::Invalid {
        id: id.clone(),
        message: message.to_string(),
    };
    if g.organization.trim().is_empty() {
        return Err(invalid("organization is empty"));
    }
    let kind = GeneratorKind::parse(&g.kind).ok_or_else(|| RegistryError::UnknownKind {
        id: id.clone(),
        kind: g.kind.clone(),
    })?;
    let mut leaf_org_keys: Vec<String> = Vec::new();
    for o in &g.leaf_organizations {
        let key = org_key(o);
        if key.is_empty() {
            return Err(invalid("empty leaf_organizations entry"));
        }
        if !leaf_org_keys.contains(&key) {
            leaf_org_keys.push(key);
        }
    }
    if g.aliases.iter().any(|a| name_key(a).is_empty()) {
        return Err(invalid("empty alias"));
    }
    let mut products = Vec::with_capacity(g.product.len());
    let mut matchers = Vec::new();
    for (pi, p) in g.product.into_iter().enumerate() {
        if p.name.trim().is_empty() {
            return Err(invalid("product with an empty name"));
        }
        if p.patterns.is_empty() {
            return Err(invalid(&format!("product {:?} has no patterns", p.name)));
        }
        for pattern in &p.patterns {
            let bad = |message: String| RegistryError::BadPattern {
                id: id.clone(),
                product: p.name.clone(),
                pattern: pattern.clone(),
                message,
            };
            if pattern.len() > MAX_PATTERN_LEN {
                return Err(bad(format!("longer than {MAX_PATTERN_LEN} bytes")));
            }
            let regex = LazyRegex::new(pattern);
            if validate_patterns {
                let compiled = Light::compile(pattern).map_err(bad)?;
                if compiled.is_match("") {
                    return Err(bad(
                        "matches the empty string (would name every claim)".to_string()
                    ));
                }
                let _ = regex.short.set(compiled);
                // the full build too, so that a long claim string cannot meet a pattern that
                // fails to build
                let full = compile_full(pattern).map_err(bad)?;
                let _ = regex.long.set(full);
            }
            matchers.push(Matcher {
                product: pi,
                regex: Arc::new(regex),
            });
        }
        products.push(Product {
            name: p.name,
            patterns: p.patterns,
            ai: p.ai.unwrap_or(kind == GeneratorKind::AiGenerator),
        });
    }
    let mut pins = Vec::with_capacity(g.pin.len());
    for p in g.pin {
        if p.subject.trim().is_empty() {
            return Err(invalid("pin with an empty subject"));
        }
        if p.source.trim().is_empty() {
            return Err(invalid(&format!("pin {:?} has no source", p.subject)));
        }
        let value = p.spki_sha256.trim();
        let mut spki = [0u8; 32];
        if value.len() != 64 || hex::decode_to_slice(value, &mut spki).is_err() {
            return Err(RegistryError::BadSpki {
                id: id.clone(),
                subject: p.subject,
                value: p.spki_sha256,
            });
        }
        if !PIN_ROLES.contains(&p.role.as_str()) {
            return Err(RegistryError::UnknownRole {
                id: id.clone(),
                subject: p.subject,
                role: p.role,
            });
        }
        pins.push(Pin {
            subject: p.subject,
            spki_sha256: spki,
            role: p.role,
            source: p.source,
        });
    }
    Ok(Generator {
        id,
        organization: g.organization,
        kind,
        leaf_organizations: g.leaf_organizations,
        aliases: g.aliases,
        products,
        pins,
        sources: g.sources,
        matchers,
        leaf_org_keys,
    })
}

/// No leaf organization, and no id / organization / alias, may belong to two generators of one file.
fn check_names_disjoint(generators: &[Generator]) -> Result<(), RegistryError> {
    let mut orgs: Vec<(&str, &str)> = Vec::new();
    let mut names: Vec<(String, &str)> = Vec::new();
    for g in generators {
        for k in &g.leaf_org_keys {
            if let Some((_, first)) = orgs.iter().find(|(o, _)| o == k) {
                return Err(RegistryError::AmbiguousName {
                    name: k.clone(),
                    first: first.to_string(),
                    second: g.id.clone(),
                });
            }
            orgs.push((k, &g.id));
        }
        let mut own: Vec<String> = vec![name_key(&g.id), name_key(&g.organization)];
        own.extend(g.aliases.iter().map(|a| name_key(a)));
        own.sort();
        own.dedup();
        for k in own {
            if let Some((_, first)) = names.iter().find(|(n, _)| *n == k) {
                return Err(RegistryError::AmbiguousName {
                    name: k,
                    first: first.to_string(),
                    second: g.id.clone(),
                });
            }
            names.push((k, &g.id));
        }
    }
    Ok(())
}

/// Key for names (`--expect`): lowercase, `_` as space, whitespace collapsed.
fn name_key(s: &str) -> String {
    s.replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Key for certificate O values: RFC 4514 backslash escapes undone, whitespace collapsed, lowercase.
fn org_key(s: &str) -> String {
    let s = truncate_bytes(s, 512);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// At most `max` bytes of `s`, cut back to a char boundary.
fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// At most `max` chars of `s`.
fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

mod literals;
mod prefilter;
#[cfg(test)]
mod tests;
