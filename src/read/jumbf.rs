//! provcheck's own structural reader of a C2PA manifest store (JUMBF, ISO/IEC 19566-5), used
//! beside the c2pa SDK for what the SDK does not expose or does not check:
//!
//! * boxes are resolved the way the C2PA specification does it, *by the claim's own references*
//!   (C2PA 2.x, "Hashed URIs" and "Claim"): the claim names its signature box and lists every
//!   assertion with a hash; nothing is picked by a label prefix, and a manifest, assertion store,
//!   signature box or assertion label that occurs twice is reported (`provcheck.manifest.duplicateBox`)
//!   instead of "the last one wins";
//! * every hashed URI is checked against the raw box it names: the claim's assertion list, and
//!   every hashed URI *inside* an assertion (ingredient thumbnails, data boxes, icons, multi-asset
//!   parts, ingredient claim signatures). c2pa 0.90.22 checks the first against a re-serialised
//!   box and does not check data boxes at all;
//! * the hard-binding facts that later stages need: data-hash exclusions, box-hash box lists,
//!   the multi-asset hash (C2PA 2.2) parts, the content hash;
//! * RFC 3161 time-stamp tokens and the `x5chain` from the COSE_Sign1 the claim references.
//!
//! Every length is checked, recursion and counts are bounded, and malformed input yields
//! problems or empty facts, never a panic.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use coset::cbor::value::Value;

use super::container::bmff::{boxes, BoxRef};
use super::cose::{as_bytes, as_text, map_get};
pub use super::cose::{has_timestamp_header, timestamp_tokens, x5chain};
use super::uri::is_claim_label;
pub use super::uri::{base_label, is_hard_binding, resolve_uri, Target};

mod provenance;
use provenance::{Provenance, Redactions};

/// Longest URL kept in a finding (the whole URL is used for resolution).
const MAX_URL: usize = 1024;
/// Most manifests in one store.
pub const MAX_MANIFESTS: usize = 1_000;
/// Most assertions one claim may reference. A claim listing more is refused before the SDK
/// parses it (the SDK's `Manifest` building is quadratic in the assertion count: 100,000
/// assertions take it 25 s). Real claims list a few dozen.
pub const MAX_CLAIM_ASSERTIONS: usize = 4_096;
/// Most hashed URIs checked in one store (the claim lists plus those inside assertions).
const MAX_HASHED_URIS: usize = 100_000;
/// Deepest CBOR nesting searched for hashed URIs.
const MAX_CBOR_DEPTH: usize = 32;

/// One problem the structural reader found. `code` is a C2PA status code where the
/// specification has one, else provcheck's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    /// Label of the manifest the problem belongs to (`None`: the store as a whole).
    pub manifest: Option<String>,
    /// The JUMBF URI concerned, when there is one.
    pub url: Option<String>,
    pub explanation: String,
}

/// One hashed URI and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HashedRef {
    /// Manifest the reference lives in.
    pub from: String,
    /// The reference as written.
    pub url: String,
    pub target: Option<Target>,
    /// `Some(true)` matched, `Some(false)` mismatched, `None` not resolvable.
    pub matched: Option<bool>,
}

/// One entry of a box-hash (`c2pa.hash.boxes`) assertion.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BoxHashEntry {
    pub names: Vec<String>,
    pub excluded: bool,
}

/// One part of a multi-asset hash (C2PA 2.2 `c2pa.hash.multi-asset`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub offset: u64,
    pub length: u64,
    pub optional: bool,
    /// The `c2pa.hash.data.part` assertion it names (label in the same manifest).
    pub assertion: Option<String>,
    /// That assertion's hash, algorithm and exclusions.
    pub hash: Option<Vec<u8>>,
    pub alg: Option<String>,
    pub exclusions: Vec<(u64, u64)>,
}

/// Facts from one manifest's boxes.
#[derive(Debug, Default, Clone)]
pub struct RawManifest {
    /// Manifest label (e.g. `urn:c2pa:...`).
    pub label: String,
    /// The claim's own default hash algorithm (`alg`), `sha256` when absent.
    pub alg: String,
    /// Assertion labels the claim references (created, gathered and v1 `assertions`).
    pub referenced: Vec<String>,
    /// Store byte range of the claim's CBOR (what the signature covers).
    pub claim_range: Option<Range<usize>>,
    /// Store byte range of each assertion superbox's payload, by label.
    pub assertion_ranges: Vec<(String, Range<usize>)>,
    /// The COSE_Sign1 bytes of the signature box the claim names.
    pub signature: Option<Vec<u8>>,
    pub signature_range: Option<Range<usize>>,
    /// `c2pa.hash.data` exclusion ranges `(start, length)` of the referenced data hash.
    pub data_hash_exclusions: Vec<(u64, u64)>,
    /// The referenced box hash's entries.
    pub box_hash: Option<Vec<BoxHashEntry>>,
    /// The referenced multi-asset hash's parts.
    pub multi_asset: Option<Vec<Part>>,
    /// Labels of the referenced hard-binding assertions.
    pub hard_bindings: Vec<String>,
    /// The hard binding's hash value (data hash, or the top-level hash of a BMFF hash).
    pub content_hash: Option<Vec<u8>>,
    /// Labels of redacted assertions this claim lists (`redacted_assertions`), as URIs.
    pub redacted: Vec<String>,
    /// The embedded file (`bidb` box) of the claim thumbnail assertion the claim lists
    /// (`c2pa.thumbnail.claim.*`, the last one listed, as the SDK takes it); `None` when there
    /// is none or it is empty or over [`MAX_CLAIM_THUMBNAIL`] bytes. Undecoded, attacker bytes.
    pub claim_thumbnail: Option<Vec<u8>>,
    /// The claim box's label (`c2pa.claim`, `c2pa.claim.v2`) and its decoded CBOR.
    pub claim_label: Option<String>,
    pub claim: Option<Value>,
    /// The decoded CBOR of each referenced assertion, in the claim's order.
    pub assertion_values: Vec<(String, Value)>,
    /// The JUMBF type UUID of the manifest superbox (`c2ma` standard, `c2um` update, ...).
    pub box_type: Option<[u8; 16]>,
    /// URLs of the claim's assertion list whose hash matched the box they name.
    pub list_matched: Vec<String>,
    /// Store byte range of the manifest superbox's payload (what an ingredient's
    /// `c2pa_manifest` hash covers, C2PA 1.3+).
    pub box_range: Option<Range<usize>>,
}

/// Largest claim thumbnail kept from a manifest (bytes, before any decoding).
pub const MAX_CLAIM_THUMBNAIL: usize = 32 * 1024 * 1024;

/// The whole store.
#[derive(Debug, Default, Clone)]
pub struct Store {
    pub manifests: Vec<RawManifest>,
    pub refs: Vec<HashedRef>,
    pub problems: Vec<Problem>,
    /// Failures an ingesting signer recorded in an ingredient assertion (`validationStatus`,
    /// `validationResults`): (code, what it names). A failure of an ingredient's manifest that
    /// its ingesting signer already recorded is part of that signed history, not a change made
    /// after signing (the SDK filters the same way).
    pub recorded: HashSet<(String, Target)>,
    /// Ingredient links (manifest, the manifest one of its ingredient assertions takes in),
    /// each resolved in the store, each once: the edges of the provenance walk.
    pub ingredient_links: Vec<(String, String)>,
}

impl Store {
    pub fn get(&self, label: &str) -> Option<&RawManifest> {
        self.manifests.iter().find(|m| m.label == label)
    }

    /// Did every hashed URI that names `target` match (and at least one exist)?
    pub fn target_intact(&self, target: &Target) -> bool {
        let mut any = false;
        for r in &self.refs {
            if r.target.as_ref() == Some(target) {
                if r.matched != Some(true) {
                    return false;
                }
                any = true;
            }
        }
        any
    }
}

/// A JUMBF superbox: its description (label) and its payload (jumd + content boxes).
struct Superbox<'a> {
    label: Option<String>,
    /// The description box's type UUID.
    kind: [u8; 16],
    /// The whole payload, what a hashed URI to this box covers.
    payload: BoxRef<'a>,
}

impl<'a> Superbox<'a> {
    fn parse(b: BoxRef<'a>) -> Option<Superbox<'a>> {
        if &b.kind != b"jumb" {
            return None;
        }
        let first = boxes(b.body, b.start).next()?;
        if &first.kind != b"jumd" {
            return None;
        }
        let d = first.body;
        let kind: [u8; 16] = d.get(..16)?.try_into().ok()?;
        d.get(16)?;
        Some(Superbox {
            label: jumd_label(d),
            kind,
            payload: b,
        })
    }

    /// Content boxes after the description box.
    fn children(&self) -> impl Iterator<Item = BoxRef<'a>> {
        boxes(self.payload.body, self.payload.start).skip(1)
    }

    fn sub_superboxes(&self) -> impl Iterator<Item = Superbox<'a>> {
        self.children().filter_map(Superbox::parse)
    }

    /// The first content box of the given type.
    fn content(&self, kind: &[u8; 4]) -> Option<BoxRef<'a>> {
        self.children().find(|b| &b.kind == kind)
    }
}

/// The label of a JUMBF description box (`jumd` payload: type UUID, toggles, label), lossy
/// UTF-8 up to its NUL, when the toggles say it has one.
pub(super) fn jumd_label(d: &[u8]) -> Option<String> {
    let rest = d
        .get(17..)
        .filter(|_| d.get(16).is_some_and(|t| t & 0x02 != 0))?;
    let end = rest.iter().position(|&x| x == 0).unwrap_or(rest.len());
    Some(String::from_utf8_lossy(rest.get(..end)?).into_owned())
}

/// The C2PA manifest store type (`c2pa` + ISO suffix).
pub const C2PA_STORE_UUID: [u8; 16] = [
    0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];

/// Whether `data` contains a C2PA manifest-store description box anywhere: `jumd` followed by
/// the C2PA store UUID. Cheap, format-independent; used to make sure a file that carries C2PA
/// JUMBF is never reported as having no manifest.
pub fn contains_c2pa_jumbf(data: &[u8]) -> bool {
    let mut needle = Vec::with_capacity(20);
    needle.extend_from_slice(b"jumd");
    needle.extend_from_slice(&C2PA_STORE_UUID);
    memchr::memmem::find(data, &needle).is_some()
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Integer(i) => u64::try_from(i128::from(*i)).ok(),
        _ => None,
    }
}

fn exclusions(v: &Value) -> Vec<(u64, u64)> {
    let Some(Value::Array(list)) = map_get(v, "exclusions") else {
        return Vec::new();
    };
    list.iter()
        .take(10_000)
        .filter_map(|e| {
            Some((
                as_u64(map_get(e, "start")?)?,
                as_u64(map_get(e, "length")?)?,
            ))
        })
        .collect()
}

/// A hashed URI map (`{url, hash, alg?}`).
struct Hashed<'v> {
    url: &'v str,
    hash: &'v [u8],
    alg: Option<&'v str>,
}

fn hashed(v: &Value) -> Option<Hashed<'_>> {
    Some(Hashed {
        url: as_text(map_get(v, "url")?)?,
        hash: as_bytes(map_get(v, "hash")?)?,
        alg: map_get(v, "alg").and_then(as_text),
    })
}

/// Every hashed URI inside a CBOR value (depth-bounded).
fn collect_hashed<'v>(v: &'v Value, depth: usize, out: &mut Vec<Hashed<'v>>) {
    if depth > MAX_CBOR_DEPTH || out.len() >= MAX_HASHED_URIS {
        return;
    }
    if let Some(h) = hashed(v) {
        out.push(h);
    }
    match v {
        Value::Map(entries) => {
            for (_, x) in entries {
                collect_hashed(x, depth + 1, out);
            }
        }
        Value::Array(items) => {
            for x in items {
                collect_hashed(x, depth + 1, out);
            }
        }
        Value::Tag(_, x) => collect_hashed(x, depth + 1, out),
        _ => {}
    }
}

/// Digest with a C2PA hash algorithm name (`sha256`, `sha384`, `sha512`).
pub fn digest(alg: &str, parts: &[&[u8]]) -> Option<Vec<u8>> {
    let a = match alg {
        "sha256" => &ring::digest::SHA256,
        "sha384" => &ring::digest::SHA384,
        "sha512" => &ring::digest::SHA512,
        _ => return None,
    };
    let mut ctx = ring::digest::Context::new(a);
    for p in parts {
        ctx.update(p);
    }
    Some(ctx.finish().as_ref().to_vec())
}

/// A claim thumbnail's assertion label (C2PA 2.2 section 18.16): `c2pa.thumbnail.claim`, or
/// with one image-format part (`c2pa.thumbnail.claim.jpeg`), with or without an instance.
fn is_claim_thumbnail(label: &str) -> bool {
    match base_label(label).strip_prefix("c2pa.thumbnail.claim") {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix('.')
            .is_some_and(|ext| !ext.is_empty() && ext.bytes().all(|b| b.is_ascii_alphanumeric())),
        None => false,
    }
}

/// The JUMBF type UUID of a compressed manifest superbox (`c2cm`).
const COMPRESSED_MANIFEST: [u8; 16] = [
    0x63, 0x32, 0x63, 0x6d, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];

/// Boxes of one manifest, indexed for resolution.
#[derive(Default)]
struct Indexed<'a> {
    claim: Option<(Value, BoxRef<'a>)>,
    claim_label: Option<String>,
    box_type: Option<[u8; 16]>,
    box_range: Option<Range<usize>>,
    signatures: Vec<Superbox<'a>>,
    assertions: HashMap<String, Superbox<'a>>,
    databoxes: HashMap<String, Superbox<'a>>,
}

fn problem(
    code: &'static str,
    manifest: Option<&str>,
    url: Option<String>,
    text: String,
) -> Problem {
    Problem {
        code,
        manifest: manifest.map(str::to_string),
        url,
        explanation: text,
    }
}

/// Parse a manifest store (the JUMBF bytes of the whole store).
pub fn parse_store(store: &[u8]) -> Store {
    let mut out = Store::default();
    let Some(top) = boxes(store, 0).find_map(Superbox::parse) else {
        return out;
    };
    let mut seen_labels: HashSet<String> = HashSet::new();
    let mut manifests: Vec<(String, Indexed)> = Vec::new();
    for mbox in top.sub_superboxes().take(MAX_MANIFESTS + 1) {
        if manifests.len() >= MAX_MANIFESTS {
            out.problems.push(problem(
                crate::codes::LIMIT_MANIFESTS,
                None,
                None,
                format!("the store holds more than {MAX_MANIFESTS} manifests"),
            ));
            break;
        }
        let Some(label) = mbox.label.clone() else {
            continue;
        };
        if !seen_labels.insert(label.clone()) {
            out.problems.push(problem(
                crate::codes::MANIFEST_DUPLICATE_BOX,
                Some(&label),
                None,
                "two manifests in the store carry the same label".into(),
            ));
            continue;
        }
        let idx = index_manifest(&mbox, &label, &mut out.problems);
        manifests.push((label, idx));
    }
    let labels: HashSet<&str> = manifests.iter().map(|(l, _)| l.as_str()).collect();
    let labels_ref = &labels;
    // each redacted target, with the manifests whose claims list it; whether a listing counts
    // is decided once the ingredient links are known (`Provenance::settle`)
    let mut redacted: Redactions<Problem> = Redactions::gather(
        manifests
            .iter()
            .filter_map(|(l, m)| m.claim.as_ref().map(|(c, _)| (l.as_str(), c))),
        labels_ref,
        MAX_CLAIM_ASSERTIONS,
    );
    let mut provenance = Provenance::default();
    // failures recorded in ingredient assertions count only from manifests of the active
    // manifest's provenance, as redactions do
    let mut recorded: Vec<(String, HashSet<(String, Target)>)> = Vec::new();

    let by_label: HashMap<&str, &Indexed> =
        manifests.iter().map(|(l, m)| (l.as_str(), m)).collect();
    let mut checked = 0usize;
    for (label, idx) in &manifests {
        let mut raw = RawManifest {
            label: label.clone(),
            alg: "sha256".into(),
            ..Default::default()
        };
        let Some((claim, claim_box)) = &idx.claim else {
            // a brotli-compressed manifest (`c2cm`, C2PA 2.2 section 11.3.2): its claim and
            // assertions are inside the compressed box; provcheck does not decompress it, the
            // SDK does and judges it (a missing claim there is the SDK's to report)
            if idx.box_type == Some(COMPRESSED_MANIFEST) {
                raw.box_type = idx.box_type;
                out.manifests.push(raw);
                continue;
            }
            out.problems.push(problem(
                "claim.missing",
                Some(label),
                None,
                "the manifest has no claim box".into(),
            ));
            out.manifests.push(raw);
            continue;
        };
        raw.claim_range = Some(claim_box.start..claim_box.start + claim_box.body.len());
        if let Some(a) = map_get(claim, "alg").and_then(as_text) {
            raw.alg = a.to_string();
        }
        raw.redacted = match map_get(claim, "redacted_assertions") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(as_text)
                .take(MAX_CLAIM_ASSERTIONS)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        // the signature box the claim names
        let sig_url = map_get(claim, "signature").and_then(as_text).unwrap_or("");
        // The claim names its signature box. A name provcheck cannot parse (a writer's own
        // spelling) still selects the manifest's one signature box: the SDK verifies the
        // signature itself. Two signature boxes, or a name for another box, are refused.
        let named = resolve_uri(sig_url, label, &labels);
        let names_own = matches!(&named, Some(Target::Signature(m)) if m == label);
        if idx.signatures.len() > 1 {
            out.problems.push(problem(
                crate::codes::MANIFEST_DUPLICATE_BOX,
                Some(label),
                Some(sig_url.to_string()),
                "the manifest holds more than one c2pa.signature box".into(),
            ));
        } else if names_own || named.is_none() {
            if let Some(c) = idx.signatures.first().and_then(|s| s.content(b"cbor")) {
                raw.signature = Some(c.body.to_vec());
                raw.signature_range = Some(c.start..c.start + c.body.len());
            }
        }
        if raw.signature.is_none() && idx.signatures.len() <= 1 {
            out.problems.push(problem(
                "claimSignature.missing",
                Some(label),
                None,
                "the claim does not name this manifest's signature box".into(),
            ));
        }
        // the assertions the claim lists, with their hashes
        let mut list: Vec<&Value> = Vec::new();
        for key in ["assertions", "created_assertions", "gathered_assertions"] {
            if let Some(Value::Array(a)) = map_get(claim, key) {
                list.extend(a.iter());
            }
        }
        if list.len() > MAX_CLAIM_ASSERTIONS {
            out.problems.push(problem(
                crate::codes::LIMIT_ASSERTIONS,
                Some(label),
                None,
                format!(
                    "the claim lists {} assertions, over the limit of {MAX_CLAIM_ASSERTIONS}",
                    list.len()
                ),
            ));
            out.manifests.push(raw);
            continue;
        }
        let mut listed: BTreeSet<String> = BTreeSet::new();
        for entry in list {
            let Some(h) = hashed(entry) else {
                out.problems.push(problem(
                    "claim.malformed",
                    Some(label),
                    None,
                    "an entry of the claim's assertion list is not a hashed URI".into(),
                ));
                continue;
            };
            let target = resolve_uri(h.url, label, &labels);
            match &target {
                Some(Target::Assertion {
                    manifest,
                    label: al,
                }) if manifest == label => {
                    if !listed.insert(al.clone()) {
                        out.problems.push(problem(
                            crate::codes::MANIFEST_DUPLICATE_BOX,
                            Some(label),
                            Some(h.url.to_string()),
                            "the claim lists the same assertion twice".into(),
                        ));
                    }
                    raw.referenced.push(al.clone());
                }
                // a URL provcheck cannot parse is left to the SDK, which resolves and checks
                // every assertion the claim lists
                None => continue,
                _ => out.problems.push(problem(
                    "assertion.outsideManifest",
                    Some(label),
                    Some(h.url.to_string()),
                    "the claim lists an assertion that is not in this manifest's assertion store"
                        .into(),
                )),
            }
            checked += 1;
            let r = check_ref(
                label,
                &h,
                target,
                &raw.alg,
                &by_label,
                &mut redacted,
                &mut out.problems,
            );
            if r.matched == Some(true) {
                raw.list_matched.push(h.url.to_string());
            }
            out.refs.push(r);
        }
        // facts from the referenced assertions, and the hashed URIs inside them
        for al in &raw.referenced.clone() {
            let Some(sb) = idx.assertions.get(al) else {
                continue;
            };
            let Some(cbor) = sb.content(b"cbor") else {
                continue;
            };
            let Ok(v) = coset::cbor::de::from_reader::<Value, _>(cbor.body) else {
                continue;
            };
            hard_binding_facts(al, &v, &mut raw, idx);
            raw.assertion_values.push((al.clone(), v.clone()));
            if matches!(
                base_label(al),
                "c2pa.ingredient" | "c2pa.ingredient.v2" | "c2pa.ingredient.v3"
            ) {
                if let Some(ingredient) = ingredient_manifest(&v, label, &labels) {
                    let mut found = HashSet::new();
                    recorded_failures(&v, &ingredient, &labels, &mut found);
                    if !found.is_empty() {
                        recorded.push((label.clone(), found));
                    }
                    if provenance.link(label, ingredient.clone()) {
                        out.ingredient_links.push((label.clone(), ingredient));
                    }
                }
            }
            let mut inner = Vec::new();
            collect_hashed(&v, 0, &mut inner);
            for h in inner {
                if checked >= MAX_HASHED_URIS {
                    break;
                }
                let target = resolve_uri(h.url, label, &labels);
                // A URL provcheck cannot resolve is the signer's own spelling, signed as written:
                // nothing to compare, not evidence of a change.
                if target.is_none() {
                    continue;
                }
                // References to another manifest, its claim or its signature (an ingredient's
                // `c2pa_manifest`/`activeManifest`/`claimSignature`, an update manifest's
                // parent claim) are checked by the SDK (`ingredient.manifest.*`,
                // `ingredient.claimSignature.*`, with the legacy hashing rules that re-serialise
                // those boxes); external URLs are not ours to fetch.
                if matches!(
                    target,
                    Some(Target::Manifest(_) | Target::Claim(_) | Target::Signature(_))
                ) {
                    continue;
                }
                checked += 1;
                out.refs.push(check_ref(
                    label,
                    &h,
                    target,
                    &raw.alg,
                    &by_label,
                    &mut redacted,
                    &mut out.problems,
                ));
            }
        }
        raw.assertion_ranges = idx
            .assertions
            .iter()
            .map(|(l, sb)| {
                (
                    l.clone(),
                    sb.payload.start..sb.payload.start + sb.payload.body.len(),
                )
            })
            .collect();
        raw.assertion_ranges.sort_by_key(|(_, r)| r.start);
        raw.claim_thumbnail = raw
            .referenced
            .iter()
            .rev()
            .filter(|al| is_claim_thumbnail(al))
            .find_map(|al| idx.assertions.get(al)?.content(b"bidb"))
            .filter(|b| !b.body.is_empty() && b.body.len() <= MAX_CLAIM_THUMBNAIL)
            .map(|b| b.body.to_vec());
        raw.claim = Some(claim.clone());
        raw.claim_label = idx.claim_label.clone();
        raw.box_type = idx.box_type;
        raw.box_range = idx.box_range.clone();
        out.manifests.push(raw);
    }
    // the active manifest is the store's last (as the SDK takes an embedded store's)
    let active = manifests
        .last()
        .map(|(l, _)| l.as_str())
        .unwrap_or_default();
    let (kept, chain) = provenance.settle(redacted, active);
    for (p, not_redacted) in kept {
        out.problems.push(match not_redacted {
            false => p,
            true => Problem {
                code: "assertion.notRedacted",
                explanation: format!(
                    "{} is listed as redacted, but a box holding data is there",
                    p.url.as_deref().unwrap_or_default()
                ),
                ..p
            },
        });
    }
    for (by, found) in recorded {
        if chain.contains(by.as_str()) {
            out.recorded.extend(found);
        }
    }
    out
}

/// The manifest an ingredient assertion takes in (`activeManifest`, v3; `c2pa_manifest`,
/// earlier), resolved in the store.
fn ingredient_manifest(v: &Value, parent: &str, labels: &HashSet<&str>) -> Option<String> {
    ["activeManifest", "c2pa_manifest"]
        .iter()
        .filter_map(|k| map_get(v, k).and_then(hashed))
        .find_map(|h| match resolve_uri(h.url, parent, labels) {
            Some(Target::Manifest(m)) => Some(m),
            _ => None,
        })
}

fn index_manifest<'a>(
    mbox: &Superbox<'a>,
    label: &str,
    problems: &mut Vec<Problem>,
) -> Indexed<'a> {
    let mut idx = Indexed {
        box_type: Some(mbox.kind),
        box_range: Some(mbox.payload.start..mbox.payload.start + mbox.payload.body.len()),
        ..Indexed::default()
    };
    let mut assertion_stores = 0;
    let mut databox_stores = 0;
    for child in mbox.sub_superboxes() {
        let Some(cl) = child.label.as_deref() else {
            continue;
        };
        if is_claim_label(cl) {
            if idx.claim.is_some() {
                problems.push(problem(
                    "claim.multiple",
                    Some(label),
                    None,
                    "the manifest holds more than one claim box".into(),
                ));
                idx.claim = None;
                continue;
            }
            if let Some(c) = child.content(b"cbor") {
                match coset::cbor::de::from_reader::<Value, _>(c.body) {
                    Ok(v) => {
                        idx.claim = Some((v, c));
                        idx.claim_label = Some(cl.to_string());
                    }
                    Err(_) => problems.push(problem(
                        "claim.cbor.invalid",
                        Some(label),
                        None,
                        "the claim is not valid CBOR".into(),
                    )),
                }
            }
        } else if cl == "c2pa.signature" {
            idx.signatures.push(child);
        } else if cl == "c2pa.assertions" || cl == "c2pa.databoxes" {
            let is_assertions = cl == "c2pa.assertions";
            let count = if is_assertions {
                &mut assertion_stores
            } else {
                &mut databox_stores
            };
            *count += 1;
            if *count > 1 {
                problems.push(problem(
                    crate::codes::MANIFEST_DUPLICATE_BOX,
                    Some(label),
                    None,
                    format!("the manifest holds more than one {cl} store"),
                ));
                continue;
            }
            let map = if is_assertions {
                &mut idx.assertions
            } else {
                &mut idx.databoxes
            };
            for a in child.sub_superboxes() {
                let Some(al) = a.label.clone() else { continue };
                if map.contains_key(&al) {
                    problems.push(problem(
                        crate::codes::MANIFEST_DUPLICATE_BOX,
                        Some(label),
                        Some(format!("self#jumbf=/c2pa/{label}/{cl}/{al}")),
                        format!("two boxes labelled {al} in the {cl} store"),
                    ));
                    map.remove(&al);
                    continue;
                }
                map.insert(al, a);
            }
        }
    }
    idx
}

/// Failure statuses recorded in an ingredient assertion, resolved against the ingredient's
/// own manifest (`ingredient`, from [`ingredient_manifest`]).
fn recorded_failures(
    v: &Value,
    ingredient: &str,
    labels: &HashSet<&str>,
    out: &mut HashSet<(String, Target)>,
) {
    let mut lists: Vec<&Value> = Vec::new();
    if let Some(vs) = map_get(v, "validationStatus") {
        lists.push(vs);
    }
    if let Some(vr) = map_get(v, "validationResults") {
        if let Some(f) = map_get(vr, "activeManifest").and_then(|a| map_get(a, "failure")) {
            lists.push(f);
        }
        if let Some(Value::Array(deltas)) = map_get(vr, "ingredientDeltas") {
            for d in deltas.iter().take(1_000) {
                if let Some(f) = map_get(d, "validationDeltas").and_then(|x| map_get(x, "failure"))
                {
                    lists.push(f);
                }
            }
        }
    }
    for list in lists {
        let Value::Array(items) = list else { continue };
        for st in items.iter().take(10_000) {
            let (Some(code), Some(url)) = (
                map_get(st, "code").and_then(as_text),
                map_get(st, "url").and_then(as_text),
            ) else {
                continue;
            };
            if let Some(t) = resolve_uri(url, ingredient, labels) {
                out.insert((code.to_string(), t));
            }
        }
    }
}

/// Resolve and check one hashed URI. A mismatch or a missing box of a target some claim lists
/// as redacted is put aside with that target (`Redactions::deferred`), for [`Provenance`] to
/// judge.
fn check_ref(
    from: &str,
    h: &Hashed,
    target: Option<Target>,
    default_alg: &str,
    manifests: &HashMap<&str, &Indexed>,
    redacted: &mut Redactions<Problem>,
    problems: &mut Vec<Problem>,
) -> HashedRef {
    let alg = h.alg.unwrap_or(default_alg);
    let payload: Option<&[u8]> = target.as_ref().and_then(|t| {
        let m = manifests.get(t.manifest())?;
        match t {
            Target::Assertion { label, .. } => m.assertions.get(label).map(|s| s.payload.body),
            Target::DataBox { label, .. } => m.databoxes.get(label).map(|s| s.payload.body),
            _ => None,
        }
    });
    let mut r = HashedRef {
        from: from.to_string(),
        url: crate::report::bounded(h.url, MAX_URL),
        target: target.clone(),
        matched: None,
    };
    let (code, text) = match payload {
        Some(p) => match digest(alg, &[p]) {
            Some(d) => {
                r.matched = Some(d == h.hash);
                if d == h.hash {
                    return r;
                }
                (
                    "assertion.hashedURI.mismatch",
                    format!(
                        "the box {} names does not match its hash (provcheck's own check of every hashed URI)",
                        r.url
                    ),
                )
            }
            None => {
                problems.push(problem(
                    "algorithm.unsupported",
                    Some(from),
                    Some(r.url.clone()),
                    format!(
                        "hashed URI {} uses an unsupported hash algorithm {}",
                        r.url,
                        crate::report::bounded(alg, 32)
                    ),
                ));
                return r;
            }
        },
        None => (
            "assertion.missing",
            format!("hashed URI {} names no box in this store", r.url),
        ),
    };
    let found = problem(code, Some(from), Some(r.url.clone()), text);
    match target {
        Some(t) if redacted.listed.contains_key(&t) => {
            let zero = payload.is_none_or(provenance::zero_content);
            redacted.deferred.push((found, t, zero));
        }
        _ => problems.push(found),
    }
    r
}

/// Hard-binding facts of one referenced assertion.
fn hard_binding_facts(label: &str, v: &Value, raw: &mut RawManifest, idx: &Indexed) {
    if !is_hard_binding(label) {
        return;
    }
    raw.hard_bindings.push(label.to_string());
    let base = base_label(label);
    if base == "c2pa.hash.data" {
        raw.data_hash_exclusions.extend(exclusions(v));
    }
    if base == "c2pa.hash.boxes" {
        if let Some(Value::Array(list)) = map_get(v, "boxes") {
            raw.box_hash = Some(
                list.iter()
                    .take(100_000)
                    .map(|b| BoxHashEntry {
                        names: match map_get(b, "names") {
                            Some(Value::Array(n)) => {
                                n.iter().filter_map(as_text).map(str::to_string).collect()
                            }
                            _ => Vec::new(),
                        },
                        excluded: matches!(map_get(b, "exclusions"), Some(Value::Bool(true)))
                            || matches!(map_get(b, "excluded"), Some(Value::Bool(true))),
                    })
                    .collect(),
            );
        }
    }
    if base == "c2pa.hash.multi-asset" {
        let mut parts = Vec::new();
        if let Some(Value::Array(list)) = map_get(v, "parts") {
            for p in list.iter().take(1_000) {
                let loc = map_get(p, "location");
                let href = map_get(p, "hashAssertion").and_then(hashed);
                let part_label = href.as_ref().and_then(|h| {
                    match resolve_uri(h.url, &raw.label, &HashSet::from([raw.label.as_str()])) {
                        Some(Target::Assertion { label, .. }) => Some(label),
                        _ => None,
                    }
                });
                let part_value = part_label.as_ref().and_then(|l| {
                    let sb = idx.assertions.get(l)?;
                    coset::cbor::de::from_reader::<Value, _>(sb.content(b"cbor")?.body).ok()
                });
                parts.push(Part {
                    offset: loc
                        .and_then(|l| map_get(l, "byteOffset"))
                        .and_then(as_u64)
                        .unwrap_or(u64::MAX),
                    length: loc
                        .and_then(|l| map_get(l, "length"))
                        .and_then(as_u64)
                        .unwrap_or(0),
                    optional: matches!(map_get(p, "optional"), Some(Value::Bool(true))),
                    hash: part_value
                        .as_ref()
                        .and_then(|pv| map_get(pv, "hash"))
                        .and_then(as_bytes)
                        .map(<[u8]>::to_vec),
                    alg: part_value
                        .as_ref()
                        .and_then(|pv| map_get(pv, "alg"))
                        .and_then(as_text)
                        .map(str::to_string),
                    exclusions: part_value.as_ref().map(exclusions).unwrap_or_default(),
                    assertion: part_label,
                });
            }
        }
        raw.multi_asset = Some(parts);
    }
    if raw.content_hash.is_none() {
        if let Some(h) = map_get(v, "hash").and_then(as_bytes) {
            raw.content_hash = Some(h.iter().take(64).copied().collect());
        }
    }
}

#[cfg(test)]
mod tests;
