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
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize, Serializer};

/// The bundled registry data (`data/generators.toml`).
pub const BUNDLED_TOML: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/generators.toml"));

/// Only this many bytes (cut back to a char boundary) of a claim string are searched.
pub const MAX_CLAIM_BYTES: usize = 65_536;
/// [`ClaimMatch::matched`] is cut to this many characters.
pub const MAX_MATCHED_CHARS: usize = 128;

const SCHEMA_VERSION: u32 = 1;
const MAX_ID_LEN: usize = 64;
const MAX_PATTERN_LEN: usize = 1024;
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const PIN_ROLES: [&str; 3] = ["issuing-ca", "ica", "root"];

/// Errors from [`Registry::from_toml`].
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
    regex: Regex,
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
    pub fn bundled() -> Registry {
        static BUNDLED: OnceLock<Registry> = OnceLock::new();
        BUNDLED
            .get_or_init(|| match Registry::from_toml(BUNDLED_TOML) {
                Ok(r) => r,
                Err(e) => panic!("bundled data/generators.toml is invalid: {e}"),
            })
            .clone()
    }

    /// Parse and validate a registry file: known schema version and fields, unique ids (and no name shared by two
    /// generators), known kinds and pin roles, regexes that compile and cannot match the empty string,
    /// 64-hex-character SPKI hashes, no leaf organization claimed by two generators.
    pub fn from_toml(text: &str) -> Result<Registry, RegistryError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| RegistryError::Toml(e.to_string()))?;
        if raw.schema_version != SCHEMA_VERSION {
            return Err(RegistryError::SchemaVersion(raw.schema_version));
        }
        let mut generators: Vec<Generator> = Vec::with_capacity(raw.generator.len());
        for (index, g) in raw.generator.into_iter().enumerate() {
            let generator = build_generator(index, g)?;
            if generators.iter().any(|o| o.id == generator.id) {
                return Err(RegistryError::DuplicateId(generator.id));
            }
            generators.push(generator);
        }
        check_names_disjoint(&generators)?;
        Ok(Registry { generators })
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
    pub fn pins_for_spki<'a>(
        &'a self,
        spki_sha256: &'a [u8; 32],
    ) -> impl Iterator<Item = (&'a Generator, &'a Pin)> + 'a {
        self.pins()
            .filter(move |(_, p)| &p.spki_sha256 == spki_sha256)
    }

    /// Surviving hits, at most one (the longest) per generator. `text` must already be truncated.
    fn best_hits(&self, text: &str) -> Vec<Hit> {
        let hay: Cow<'_, str> = if text.contains('_') {
            // '_' -> ' ' keeps byte offsets (both one byte), so offsets index `text` too.
            Cow::Owned(text.replace('_', " "))
        } else {
            Cow::Borrowed(text)
        };
        let mut hits = Vec::new();
        for (gi, g) in self.generators.iter().enumerate() {
            for m in &g.matchers {
                for found in m.regex.find_iter(&hay) {
                    if found.start() < found.end() {
                        hits.push(Hit {
                            generator: gi,
                            product: m.product,
                            start: found.start(),
                            end: found.end(),
                        });
                    }
                }
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

fn build_generator(index: usize, g: RawGenerator) -> Result<Generator, RegistryError> {
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
            let regex = RegexBuilder::new(pattern)
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| bad(e.to_string()))?;
            if regex.is_match("") {
                return Err(bad(
                    "matches the empty string (would name every claim)".to_string()
                ));
            }
            matchers.push(Matcher { product: pi, regex });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{corpus, read_tsv};
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn reg() -> Registry {
        Registry::bundled()
    }

    fn named(text: &str) -> Vec<String> {
        reg()
            .match_claim(text)
            .into_iter()
            .map(|m| m.generator)
            .collect()
    }

    // ----- bundled file -----

    #[test]
    fn bundled_file_parses_and_is_consistent() {
        let r = Registry::from_toml(BUNDLED_TOML).expect("bundled generators.toml must be valid");
        let mut ids = BTreeSet::new();
        for g in r.generators() {
            assert!(ids.insert(g.id.clone()), "duplicate id {}", g.id);
            assert!(!g.sources.is_empty(), "{} has no sources", g.id);
            for p in &g.pins {
                assert_eq!(p.spki_hex().len(), 64);
                assert_eq!(hex::decode(p.spki_hex()).unwrap().len(), 32);
                assert!(PIN_ROLES.contains(&p.role.as_str()));
            }
        }
        for id in [
            "microsoft",
            "openai",
            "adobe",
            "google",
            "amazon",
            "stability-ai",
            "stable-diffusion",
            "runway",
            "black-forest-labs",
            "bytedance",
            "midjourney",
            "meta",
            "truepic",
            "samsung",
            "leica",
            "sony",
            "nikon",
            "canon",
            "fujifilm",
            "novelai",
            "qualcomm",
        ] {
            assert!(r.get(id).is_some(), "missing generator {id}");
        }
        // Organisations whose only known CA issues to anyone carry no pins.
        for id in [
            "amazon",
            "stability-ai",
            "runway",
            "black-forest-labs",
            "bytedance",
            "midjourney",
            "meta",
        ] {
            assert!(!r.get(id).unwrap().has_pins(), "{id} must not have pins");
        }
        for id in ["microsoft", "openai", "adobe", "google", "truepic"] {
            assert!(r.get(id).unwrap().has_pins(), "{id} must have pins");
        }
    }

    #[test]
    fn registry_is_send_sync_and_serialises() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Registry>();
        let r = reg();
        let ms = r.get("microsoft").unwrap();
        let v = serde_json::to_value(ms).unwrap();
        assert_eq!(v["kind"], "ai-generator");
        assert_eq!(
            v["pins"][0]["spki_sha256"],
            "b7728daf890a926086beb17be6731af8818828be9ace3c58a872f26b96982b8c"
        );
        assert!(v.get("matchers").is_none());
    }

    // ----- claim matching -----

    #[test]
    fn sdk_and_library_tokens_name_nothing() {
        for s in [
            "c2pa-rs/0.28.4",
            "c2patool/0.6.2",
            "adobe_c2pa/0.14.2",
            "adobe_c2pa/0.14.2 c2pa-rs/0.43.0",
            "c2pa-c test/0.2",
            "TestApp",
            "test/1.0",
            "make_test_images/0.33.1",
            "cai-helper/0.5.3",
            "libc2pa/3.6.5",
            "Adobe_Example/0.1 c2patool/0.6.0 c2pa-rs/0.24.0",
            "Adobe XMP Core 9.1-c002 79.f354efc, 2023/11/09-12:05:53",
            "Stability Solutions Inc.",
            "Monolith",
            "Stability",
            "Designer",
            "Google",
            "Microsoft",
            "Adobe",
            "Amazon",
            "Meta",
            "metadata",
            "Metaphysic PRO",
            "Copilot",
            "Einstein Copilot",
            "Bedrock",
            "Runway",
            "flux",
            "Imagen",
            "Veo",
            "vivo",
            "canon of classical music",
            "AI Generated Image",
            "Created image using artificial intelligence technology",
            "trainedAlgorithmicMedia",
            "Content Credentials",
            "parameters",
            "immagini dalle montagne",
            "",
        ] {
            assert_eq!(named(s), Vec::<String>::new(), "{s:?} must name nothing");
        }
    }

    #[test]
    fn azure_openai_is_microsoft_not_openai() {
        for s in [
            "Azure OpenAI DALL-E",
            "Azure OpenAI ImageGen",
            "Azure_OpenAI_DALL·E_3",
            "Azure OpenAI gpt-image-1",
            "AzureOpenAI",
            "Azure OpenAI Service",
        ] {
            let m = reg().match_claim(s);
            assert_eq!(m.len(), 1, "{s:?}: {m:?}");
            assert_eq!(m[0].generator, "microsoft", "{s:?}");
            assert_eq!(m[0].product, "Azure OpenAI", "{s:?}");
        }
        let m = reg().match_claim("Azure OpenAI DALL-E");
        assert_eq!(m[0].matched, "Azure OpenAI DALL-E");
    }

    #[test]
    fn openai_strings() {
        for s in [
            "OpenAI-API c2pa-rs/0.28.4",
            "ChatGPT c2pa-rs/0.28.4",
            "ChatGPT",
            "DALL·E",
            "DALL‧E",
            "DALL•E 3",
            "DALL-E 3",
            "Dall-E",
            "DALLE3",
            "DALL E 2",
            "GPT-4o",
            "gpt-image",
            "gpt-image-1",
            "gpt-image-1.5",
            "Sora",
            "OpenAI Media Service API",
            "OpenAI API",
            "Truepic Lens CLI in ChatGPT",
            "Truepic Lens CLI in DALL·E",
            "Truepic Lens CLI in Sora",
        ] {
            assert_eq!(named(s), vec!["openai".to_string()], "{s:?}");
        }
        let m = reg().match_claim("OpenAI Media Service API");
        assert_eq!(m[0].product, "OpenAI Media Service");
        let m = reg().match_claim("Truepic Lens CLI in ChatGPT");
        assert_eq!(m[0].product, "ChatGPT");
    }

    #[test]
    fn microsoft_strings() {
        for (s, product) in [
            ("Microsoft_Responsible_AI/1.0", "Microsoft Responsible AI"),
            (
                "Microsoft Responsible AI Image Provenance",
                "Microsoft Responsible AI",
            ),
            (
                "Microsoft Responsible AI Provenance",
                "Microsoft Responsible AI",
            ),
            ("Microsoft_Designer/1.0", "Designer"),
            ("Microsoft Designer", "Designer"),
            ("Image Creator from Designer", "Bing Image Creator"),
            ("Bing Image Creator", "Bing Image Creator"),
            ("Microsoft Copilot", "Copilot"),
            ("Paint Cocreator", "Paint Cocreator"),
        ] {
            let m = reg().match_claim(s);
            assert_eq!(m.len(), 1, "{s:?}: {m:?}");
            assert_eq!(m[0].generator, "microsoft", "{s:?}");
            assert_eq!(m[0].product, product, "{s:?}");
        }
    }

    #[test]
    fn other_vendor_strings() {
        for (s, id) in [
            ("Adobe_Firefly", "adobe"),
            ("Adobe Firefly Pipeline", "adobe"),
            (
                "Adobe_Photoshop/26.11.0 adobe_c2pa/0.14.2 c2pa-rs/0.43.0",
                "adobe",
            ),
            ("lightroom/8.5.1", "adobe"),
            ("Adobe Lightroom 8.5.1 (Macintosh)", "adobe"),
            ("Adobe Express", "adobe"),
            ("Adobe Stock", "adobe"),
            ("Adobe Content Authenticity", "adobe"),
            ("Google C2PA Core Generator Library", "google"),
            ("Created by Google Generative AI.", "google"),
            ("Gemini", "google"),
            ("Gemini 2.5 Flash Image", "google"),
            ("Google Imagen", "google"),
            ("Imagen 4", "google"),
            ("Veo 3", "google"),
            ("Pixel Camera", "google"),
            ("Google Photos", "google"),
            ("Amazon_Bedrock c2pa-rs/0.32.7", "amazon"),
            ("Titan Image Generator G1", "amazon"),
            ("Amazon Nova Canvas", "amazon"),
            ("Stability AI", "stability-ai"),
            ("stability.ai", "stability-ai"),
            ("Stable Diffusion", "stable-diffusion"),
            ("Stable Diffusion XL", "stable-diffusion"),
            ("AUTOMATIC1111 Stable Diffusion web UI", "stable-diffusion"),
            ("ComfyUI", "stable-diffusion"),
            ("Runway Gen-4", "runway"),
            ("RunwayML", "runway"),
            ("FLUX.1 [pro]", "black-forest-labs"),
            ("FLUX.1 Kontext", "black-forest-labs"),
            ("Black Forest Labs", "black-forest-labs"),
            ("Seedance 1.0 Pro", "bytedance"),
            ("Seedream 4.0", "bytedance"),
            ("Doubao", "bytedance"),
            ("Midjourney", "midjourney"),
            ("Meta AI", "meta"),
            ("Imagine with Meta AI", "meta"),
            ("Truepic_Lens_iOS/1.5.0 libc2pa/3.6.5", "truepic"),
            ("Truepic Lens SDK v1.1.3 in Vision Camera v3.1.5", "truepic"),
            ("NovelAI", "novelai"),
            ("Samsung Galaxy S25", "samsung"),
            ("Galaxy AI", "samsung"),
            ("LEICA M11-P", "leica"),
            ("Sony ILCE-7M4", "sony"),
            (
                "Nikon_Z_9_Sample_for_Adobe_MAX_2022 c2pa-rs/0.14.0",
                "nikon",
            ),
            ("Canon EOS R1", "canon"),
            ("FUJIFILM X-T5", "fujifilm"),
            ("Snapdragon 8 Elite Gen 5", "qualcomm"),
        ] {
            assert_eq!(named(s), vec![id.to_string()], "{s:?}");
        }
        // Several generators in one string: each reported once, in order of appearance.
        assert_eq!(
            named("Adobe Photoshop 26 with Gemini and ChatGPT ChatGPT"),
            ["adobe", "google", "openai"]
        );
        // NovelAI's Source chunk names the open model, not Stability AI.
        assert_eq!(named("Stable Diffusion 1D44365E"), ["stable-diffusion"]);
    }

    #[test]
    fn matching_is_bounded() {
        let far = format!("{}ChatGPT", "x".repeat(MAX_CLAIM_BYTES));
        assert!(reg().match_claim(&far).is_empty());
        let near = format!("{}ChatGPT", "x ".repeat(100));
        assert_eq!(named(&near), ["openai"]);
        // Multi-byte characters around the cut must not panic.
        for pad in 0..4 {
            let s = format!("{}{}ChatGPT", "a".repeat(pad), "é".repeat(3000));
            assert!(reg().match_claim(&s).is_empty());
        }
        let s = "🙂".repeat(5000);
        assert!(reg().match_claim(&s).is_empty());
        assert_eq!(
            truncate_chars(&"é".repeat(500), MAX_MATCHED_CHARS)
                .chars()
                .count(),
            128
        );
        assert_eq!(truncate_bytes("aé", 2), "a");
        // Many matches stay fast and report one match per generator.
        let many = "Azure OpenAI DALL-E ChatGPT ".repeat(200);
        let m = reg().match_claim(&many);
        assert_eq!(
            m.iter().map(|m| m.generator.as_str()).collect::<Vec<_>>(),
            ["microsoft", "openai"]
        );
        assert!(m
            .iter()
            .all(|m| m.matched.chars().count() <= MAX_MATCHED_CHARS));
    }

    // ----- resolve / leaf organisations / pins -----

    #[test]
    fn resolve_names() {
        let r = reg();
        for (s, id) in [
            ("Azure OpenAI", "microsoft"),
            ("microsoft", "microsoft"),
            ("Microsoft", "microsoft"),
            ("OpenAI", "openai"),
            ("openai", "openai"),
            ("adobe firefly", "adobe"),
            ("Adobe_Firefly", "adobe"),
            ("firefly", "adobe"),
            ("DALL·E", "openai"),
            ("dall-e 3", "openai"),
            ("ChatGPT", "openai"),
            ("Gemini", "google"),
            ("google", "google"),
            ("Bing Image Creator", "microsoft"),
            ("stability", "stability-ai"),
            ("stable diffusion", "stable-diffusion"),
            ("aws", "amazon"),
            ("Titan Image Generator", "amazon"),
            ("  Black   Forest Labs ", "black-forest-labs"),
        ] {
            assert_eq!(r.resolve(s).map(|g| g.id.as_str()), Some(id), "{s:?}");
        }
        assert!(r.resolve("").is_none());
        assert!(r.resolve("no such generator").is_none());
        assert!(r.resolve("c2pa-rs/0.28.4").is_none());
    }

    #[test]
    fn leaf_organizations() {
        let r = reg();
        for (o, id) in [
            ("Microsoft Corporation", "microsoft"),
            ("  microsoft   CORPORATION ", "microsoft"),
            ("OpenAI", "openai"),
            ("OpenAI OpCo, LLC", "openai"),
            ("OpenAI OpCo\\, LLC", "openai"),
            ("Adobe Inc.", "adobe"),
            ("Google LLC", "google"),
            ("Amazon Web Services, Inc.", "amazon"),
            ("Amazon Development Center U.S., Inc.", "amazon"),
            ("Stability AI Ltd", "stability-ai"),
            ("Truepic", "truepic"),
            ("NIKON CORPORATION", "nikon"),
            ("SONY Corporation", "sony"),
        ] {
            assert_eq!(
                r.by_leaf_organization(o).map(|g| g.id.as_str()),
                Some(id),
                "{o:?}"
            );
        }
        for o in [
            "Stability Solutions Inc.",
            "Stability AI",
            "C2PA Test Signing Cert",
            "OpenAI OpCo",
            "",
            "Adobe",
        ] {
            assert!(r.by_leaf_organization(o).is_none(), "{o:?}");
        }
        assert!(r
            .get("openai")
            .unwrap()
            .has_leaf_organization("openai opco, llc"));
    }

    #[test]
    fn pins_iterator() {
        let r = reg();
        let all: Vec<(&str, String)> = r
            .pins()
            .map(|(g, p)| (g.id.as_str(), p.spki_hex()))
            .collect();
        assert!(all.contains(&(
            "microsoft",
            "b7728daf890a926086beb17be6731af8818828be9ace3c58a872f26b96982b8c".to_string()
        )));
        assert!(!all.iter().any(|(id, _)| *id == "amazon"));
        let mut web = [0u8; 32];
        hex::decode_to_slice(
            "adf5af09e3253b1eb13358dc036672f44b48854d586a455aae3361526026a6c2",
            &mut web,
        )
        .unwrap();
        let ids: BTreeSet<&str> = r.pins_for_spki(&web).map(|(g, _)| g.id.as_str()).collect();
        assert_eq!(ids, BTreeSet::from(["openai", "truepic"]));
        assert!(r.get("openai").unwrap().pin_for_spki(&web).is_some());
    }

    // ----- from_toml / extend -----

    const ONE: &str = r#"
schema_version = 1
[[generator]]
id = "openai"
organization = "OpenAI (replaced)"
kind = "ai-generator"
leaf_organizations = ["OpenAI"]
  [[generator.product]]
  name = "Thing"
  patterns = ['(?i)\bthingamajig\b']
[[generator]]
id = "newco"
organization = "NewCo"
kind = "editor"
leaf_organizations = ["NewCo Ltd"]
  [[generator.product]]
  name = "NewCo Paint"
  patterns = ['\bNewCo Paint\b']
  [[generator.pin]]
  subject = "CN=NewCo CA"
  spki_sha256 = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF"
  role = "root"
  source = "test"
"#;

    #[test]
    fn extend_replaces_and_appends() {
        let mut r = reg();
        let n = r.generators().len();
        let pos = r
            .generators()
            .iter()
            .position(|g| g.id == "openai")
            .unwrap();
        r.extend(Registry::from_toml(ONE).unwrap());
        assert_eq!(r.generators().len(), n + 1);
        assert_eq!(r.generators()[pos].organization, "OpenAI (replaced)");
        assert_eq!(r.generators().last().unwrap().id, "newco");
        assert_eq!(r.get("newco").unwrap().pins[0].spki_sha256[31], 0xff);
        let m = r.match_claim("NewCo Paint and a Thingamajig");
        assert_eq!(
            m.iter().map(|m| m.generator.as_str()).collect::<Vec<_>>(),
            ["newco", "openai"]
        );
        // The replaced entry's old patterns are gone.
        assert!(r.match_claim("ChatGPT").is_empty());
        assert_eq!(r.by_leaf_organization("newco ltd").unwrap().id, "newco");
        // The bundled registry is unaffected.
        assert_eq!(reg().get("openai").unwrap().organization, "OpenAI");
    }

    #[test]
    fn from_toml_rejects_bad_input() {
        let base = |body: &str| format!("schema_version = 1\n{body}");
        let gen_with = |extra: &str| {
            base(&format!(
                "[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"editor\"\n{extra}"
            ))
        };
        let pin = |spki: &str, role: &str| {
            gen_with(&format!(
                "[[generator.pin]]\nsubject = \"CN=X\"\nspki_sha256 = \"{spki}\"\nrole = \"{role}\"\nsource = \"s\"\n"
            ))
        };
        let ok_hex = "ab".repeat(32);
        assert!(Registry::from_toml(&pin(&ok_hex, "root")).is_ok());
        let cases: Vec<(String, &str)> = vec![
            ("schema_version = 2\n".to_string(), "SchemaVersion"),
            ("schema_version = 1\nbogus = 3\n".to_string(), "Toml"),
            ("not toml [".to_string(), "Toml"),
            (gen_with("colour = \"red\"\n"), "Toml"),
            (
                base("[[generator]]\nid = \"Bad Id\"\norganization = \"X\"\nkind = \"editor\"\n"),
                "InvalidId",
            ),
            (
                base(
                    "[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"editor\"\n\
                     [[generator]]\nid = \"x\"\norganization = \"Y\"\nkind = \"editor\"\n",
                ),
                "DuplicateId",
            ),
            (
                base(
                    "[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"editor\"\nleaf_organizations = [\"Same\"]\n\
                     [[generator]]\nid = \"y\"\norganization = \"Y\"\nkind = \"editor\"\nleaf_organizations = [\"same\"]\n",
                ),
                "AmbiguousName",
            ),
            (
                base(
                    "[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"editor\"\n\
                     [[generator]]\nid = \"y\"\norganization = \"Y\"\nkind = \"editor\"\naliases = [\"x\"]\n",
                ),
                "AmbiguousName",
            ),
            (
                base("[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"robot\"\n"),
                "UnknownKind",
            ),
            (
                gen_with("[[generator.product]]\nname = \"P\"\npatterns = ['(unclosed']\n"),
                "BadPattern",
            ),
            (gen_with("[[generator.product]]\nname = \"P\"\npatterns = ['a*']\n"), "BadPattern"),
            (gen_with("[[generator.product]]\nname = \"P\"\npatterns = []\n"), "Invalid"),
            (pin(&"ab".repeat(31), "root"), "BadSpki"),
            (pin(&format!("{}zz", "ab".repeat(31)), "root"), "BadSpki"),
            (pin(&ok_hex, "leaf"), "UnknownRole"),
        ];
        for (text, want) in cases {
            let err = Registry::from_toml(&text).expect_err(&text);
            let got = format!("{err:?}");
            assert!(
                got.starts_with(want),
                "{text:?}: expected {want}, got {got}"
            );
        }
    }

    // ----- corpus checks -----

    /// The claim strings of an EXPECTED.tsv `claimed_source` cell: the leading segment (the claim_generator,
    /// with its parenthesised claim_generator_info, up to the first ';') and every '...'-quoted string.
    fn claim_strings(cell: &str) -> Vec<String> {
        let mut out = vec![cell
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()];
        let parts: Vec<&str> = cell.split('\'').collect();
        for (i, p) in parts.iter().enumerate() {
            if i % 2 == 1 && i + 1 < parts.len() {
                out.push(p.to_string());
            }
        }
        out
    }

    #[test]
    fn expected_tsv_claims_name_the_right_generator() {
        let Some(corpus) = corpus("expected_tsv_claims_name_the_right_generator") else {
            return;
        };
        let r = reg();
        let rows = read_tsv(&corpus.join("generators/EXPECTED.tsv"));
        assert!(
            rows.len() >= 30,
            "EXPECTED.tsv has only {} rows",
            rows.len()
        );
        // Rows whose `org` is not a signing organisation: what the claim names.
        let unsigned: &[(&str, &[&str])] = &[
            ("adobe/PirateShip_save_credentials_to_cloud.jpg", &["adobe"]),
            ("adobe/crater-lake-cr.jpg", &["adobe"]),
            ("adobe/crater-lake.jpeg", &[]),
            ("none/automatic1111_cropped.png", &["stable-diffusion"]),
            ("none/img2img_cropped.png", &["stable-diffusion"]),
            (
                "none/novelai1_cropped.png",
                &["novelai", "stable-diffusion"],
            ),
            ("c2pa-test-signer/composite-dst.jpg", &["adobe"]),
        ];
        let mut checked = 0;
        for row in &rows {
            let path = row["path"].as_str();
            let org = row["org"].as_str();
            let claims = claim_strings(&row["claimed_source"]);
            let got: BTreeSet<String> = claims
                .iter()
                .flat_map(|c| r.match_claim(c))
                .map(|m| m.generator)
                .collect();
            let want: BTreeSet<String> = match unsigned.iter().find(|(p, _)| *p == path) {
                Some((_, ids)) => ids.iter().map(|s| s.to_string()).collect(),
                None => {
                    assert!(
                        r.get(org).is_some(),
                        "{path}: org {org:?} is not a registry id; add the row to the test"
                    );
                    // The active claim_generator alone already names the signing organisation.
                    let lead: Vec<String> = r
                        .match_claim(&claims[0])
                        .into_iter()
                        .map(|m| m.generator)
                        .collect();
                    assert_eq!(
                        lead,
                        vec![org.to_string()],
                        "{path}: leading claim {:?}",
                        claims[0]
                    );
                    BTreeSet::from([org.to_string()])
                }
            };
            assert_eq!(got, want, "{path}: claims {claims:?}");
            assert!(!got.contains("stability-ai"), "{path}");
            checked += 1;
        }
        eprintln!("expected_tsv: checked {checked} rows");
    }

    // Minimal SHA-256, base64 and DER readers, so that the pin test recomputes hashes from certificates without
    // extra dependencies.

    fn sha256(data: &[u8]) -> [u8; 32] {
        const K: [u32; 64] = [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
            0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
            0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
            0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
            0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
            0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
            0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
            0xc67178f2,
        ];
        let mut h: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];
        let mut msg = data.to_vec();
        msg.push(0x80);
        while msg.len() % 64 != 56 {
            msg.push(0);
        }
        msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
        for block in msg.chunks_exact(64) {
            let mut w = [0u32; 64];
            for (i, word) in block.chunks_exact(4).enumerate() {
                w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
            }
            for i in 16..64 {
                let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
                let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16]
                    .wrapping_add(s0)
                    .wrapping_add(w[i - 7])
                    .wrapping_add(s1);
            }
            let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
            for (k, wi) in K.iter().zip(w.iter()) {
                let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
                let ch = (e & f) ^ (!e & g);
                let t1 = hh
                    .wrapping_add(s1)
                    .wrapping_add(ch)
                    .wrapping_add(*k)
                    .wrapping_add(*wi);
                let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
                let maj = (a & b) ^ (a & c) ^ (b & c);
                let t2 = s0.wrapping_add(maj);
                hh = g;
                g = f;
                f = e;
                e = d.wrapping_add(t1);
                d = c;
                c = b;
                b = a;
                a = t1.wrapping_add(t2);
            }
            for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
                *x = x.wrapping_add(y);
            }
        }
        let mut out = [0u8; 32];
        for (chunk, v) in out.chunks_exact_mut(4).zip(h) {
            chunk.copy_from_slice(&v.to_be_bytes());
        }
        out
    }

    #[test]
    fn sha256_known_answers() {
        assert_eq!(
            hex::encode(sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex::encode(sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    fn base64_decode(s: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for c in s.bytes() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' | b'\r' | b'\n' | b' ' | b'\t' => continue,
                _ => return None,
            };
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        Some(out)
    }

    fn pem_certs(text: &str) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(b) = rest.find("-----BEGIN CERTIFICATE-----") {
            let after = &rest[b + 27..];
            let Some(e) = after.find("-----END CERTIFICATE-----") else {
                break;
            };
            if let Some(der) = base64_decode(&after[..e]) {
                out.push(der);
            }
            rest = &after[e..];
        }
        out
    }

    /// (tag, header length, content length) of the DER element at `buf[0..]`.
    fn der_header(buf: &[u8]) -> Option<(u8, usize, usize)> {
        let tag = *buf.first()?;
        let l0 = *buf.get(1)?;
        if l0 < 0x80 {
            return Some((tag, 2, usize::from(l0)));
        }
        let n = usize::from(l0 & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*buf.get(2 + i)?);
        }
        Some((tag, 2 + n, len))
    }

    /// Splits `buf` into its first DER element (tag, content, whole element) and the rest.
    /// (tag, content, whole element, rest).
    type DerSplit<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

    fn der_next(buf: &[u8]) -> Option<DerSplit<'_>> {
        let (tag, hl, cl) = der_header(buf)?;
        let end = hl.checked_add(cl)?;
        if end > buf.len() {
            return None;
        }
        Some((tag, &buf[hl..end], &buf[..end], &buf[end..]))
    }

    fn oid_string(bytes: &[u8]) -> String {
        let mut parts: Vec<u64> = Vec::new();
        let mut v = 0u64;
        for (i, b) in bytes.iter().enumerate() {
            v = (v << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                if parts.is_empty() && i < 8 {
                    let first = (v / 40).min(2);
                    parts.push(first);
                    parts.push(v - first * 40);
                } else {
                    parts.push(v);
                }
                v = 0;
            }
        }
        parts
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(".")
    }

    struct Cert {
        spki_sha256: [u8; 32],
        /// (attribute OID, value) of the subject, sorted.
        subject: Vec<(String, String)>,
    }

    /// Strict parse of an X.509 certificate's outer structure, subject and SPKI.
    fn parse_cert(der: &[u8]) -> Option<Cert> {
        let (tag, content, _, rest) = der_next(der)?;
        if tag != 0x30 || !rest.is_empty() {
            return None;
        }
        let (t_tbs, tbs, _, rest) = der_next(content)?;
        let (t_alg, _, _, rest) = der_next(rest)?;
        let (t_sig, _, _, rest) = der_next(rest)?;
        if t_tbs != 0x30 || t_alg != 0x30 || t_sig != 0x03 || !rest.is_empty() {
            return None;
        }
        let mut cur = tbs;
        if cur.first() == Some(&0xa0) {
            cur = der_next(cur)?.3;
        }
        let (t_serial, _, _, cur) = der_next(cur)?;
        let (t_sigalg, _, _, cur) = der_next(cur)?;
        let (t_issuer, _, _, cur) = der_next(cur)?;
        let (t_validity, _, _, cur) = der_next(cur)?;
        let (t_subject, subject, _, cur) = der_next(cur)?;
        let (t_spki, _, spki, _) = der_next(cur)?;
        if t_serial != 0x02 || [t_sigalg, t_issuer, t_validity, t_subject, t_spki] != [0x30; 5] {
            return None;
        }
        let mut attrs = Vec::new();
        let mut rdns = subject;
        while !rdns.is_empty() {
            let (t_set, set, _, r) = der_next(rdns)?;
            if t_set != 0x31 {
                return None;
            }
            let mut items = set;
            while !items.is_empty() {
                let (t_seq, atv, _, r2) = der_next(items)?;
                let (t_oid, oid, _, after) = der_next(atv)?;
                let (vtag, value, _, _) = der_next(after)?;
                if t_seq != 0x30 || t_oid != 0x06 {
                    return None;
                }
                let value = if vtag == 0x1e {
                    let units: Vec<u16> = value
                        .chunks_exact(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .collect();
                    String::from_utf16_lossy(&units)
                } else {
                    String::from_utf8_lossy(value).into_owned()
                };
                attrs.push((oid_string(oid), value));
                items = r2;
            }
            rdns = r;
        }
        attrs.sort();
        Some(Cert {
            spki_sha256: sha256(spki),
            subject: attrs,
        })
    }

    /// Every certificate embedded in a binary file (COSE x5chain, timestamp tokens): DER SEQUENCEs with a
    /// two-byte length (0x30 0x82 len) that parse as certificates.
    fn scan_der_certs(bytes: &[u8]) -> Vec<Cert> {
        let mut out = Vec::new();
        let mut i = 0;
        while i + 4 <= bytes.len() {
            if bytes[i] == 0x30 && bytes[i + 1] == 0x82 {
                let len = usize::from(bytes[i + 2]) << 8 | usize::from(bytes[i + 3]);
                if len >= 200 && i + 4 + len <= bytes.len() {
                    if let Some(c) = parse_cert(&bytes[i..i + 4 + len]) {
                        out.push(c);
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// RFC 4514 DN as written in INVENTORY.tsv -> sorted (OID, value) pairs.
    fn parse_rfc4514(dn: &str) -> Vec<(String, String)> {
        let mut parts = Vec::new();
        let mut cur = String::new();
        let mut chars = dn.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    cur.push('\\');
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                }
                ',' | '+' => parts.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        parts.push(cur);
        let mut out: Vec<(String, String)> = parts
            .iter()
            .map(|p| {
                let (k, v) = p
                    .split_once('=')
                    .unwrap_or_else(|| panic!("bad RDN {p:?} in {dn:?}"));
                let oid = match k.trim() {
                    "CN" => "2.5.4.3",
                    "C" => "2.5.4.6",
                    "L" => "2.5.4.7",
                    "ST" => "2.5.4.8",
                    "STREET" => "2.5.4.9",
                    "O" => "2.5.4.10",
                    "OU" => "2.5.4.11",
                    "DC" => "0.9.2342.19200300.100.1.25",
                    "UID" => "0.9.2342.19200300.100.1.1",
                    other => other,
                };
                let mut value = String::new();
                let mut vc = v.chars();
                while let Some(c) = vc.next() {
                    if c == '\\' {
                        if let Some(n) = vc.next() {
                            value.push(n);
                        }
                    } else {
                        value.push(c);
                    }
                }
                (oid.to_string(), value)
            })
            .collect();
        out.sort();
        out
    }

    /// Corpus-relative file paths mentioned in a pin's `source`.
    fn cited_files(corpus: &Path, source: &str) -> Vec<PathBuf> {
        source
            .split(|c: char| c.is_whitespace() || "(),;".contains(c))
            .map(|t| t.trim_end_matches(['.', ':']))
            .filter(|t| t.contains('/'))
            .map(|t| corpus.join(t))
            .filter(|p| p.is_file())
            .collect()
    }

    #[test]
    fn pins_are_recomputed_from_cited_certificates() {
        let Some(corpus) = corpus("pins_are_recomputed_from_cited_certificates") else {
            return;
        };
        let inventory = read_tsv(&corpus.join("trust/INVENTORY.tsv"));
        let r = reg();
        let mut cache: std::collections::HashMap<PathBuf, Vec<Cert>> =
            std::collections::HashMap::new();
        let mut report = Vec::new();
        for (g, pin) in r.pins() {
            let files = cited_files(&corpus, &pin.source);
            assert!(
                !files.is_empty(),
                "{}: pin {:?} cites no existing corpus file: {:?}",
                g.id,
                pin.subject,
                pin.source
            );
            let want_subject = parse_rfc4514(&pin.subject);
            let mut found_in = None;
            for f in &files {
                let certs = cache.entry(f.clone()).or_insert_with(|| {
                    let bytes = std::fs::read(f).unwrap();
                    if f.extension().is_some_and(|e| e == "pem") {
                        pem_certs(&String::from_utf8_lossy(&bytes))
                            .iter()
                            .filter_map(|d| parse_cert(d))
                            .collect()
                    } else {
                        scan_der_certs(&bytes)
                    }
                });
                if certs
                    .iter()
                    .any(|c| c.spki_sha256 == pin.spki_sha256 && c.subject == want_subject)
                {
                    found_in = Some(f.strip_prefix(&corpus).unwrap_or(f).display().to_string());
                    break;
                }
            }
            let found_in = found_in.unwrap_or_else(|| {
                panic!(
                    "{}: pin {:?} spki {} not recomputed from any certificate in {:?}",
                    g.id,
                    pin.subject,
                    pin.spki_hex(),
                    files
                )
            });
            // Cross-check with INVENTORY.tsv: every row with this subject must carry this key hash or be a
            // different certificate generation; at least note whether a row pairs them.
            let rows: Vec<_> = inventory
                .iter()
                .filter(|row| row["subject"] == pin.subject)
                .collect();
            let in_inventory = rows.iter().any(|row| row["spki_sha256"] == pin.spki_hex());
            assert!(
                rows.is_empty() || in_inventory,
                "{}: INVENTORY.tsv lists {:?} with another key only",
                g.id,
                pin.subject
            );
            report.push(format!(
                "{:<18} {:<10} {} <- {} (INVENTORY.tsv: {})",
                g.id,
                pin.role,
                pin.subject,
                found_in,
                if in_inventory {
                    "same subject+spki row"
                } else {
                    "not listed"
                }
            ));
        }
        assert!(report.len() >= 25, "only {} pins", report.len());
        eprintln!("pins verified by recomputation:\n{}", report.join("\n"));
    }
}
