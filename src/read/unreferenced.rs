//! Manifests outside the active manifest's provenance. C2PA 2.x validates the active manifest
//! and the ingredient manifests it reaches ("Validate the ingredients"); a manifest nothing
//! references is no statement about this file, and anyone can add one to a signed store
//! without touching a byte the signature or the hard binding covers (the store is excluded
//! from the binding). provcheck names such manifests ([`unreferenced`]), leaves their claims
//! out of attribution, and reports their problems as informational, provcheck's own
//! (`read::add_own_findings`) and the c2pa SDK's ([`set_aside`]): c2pa 0.90.22 loads every
//! manifest of a store and logs what it cannot load among the active manifest's failures.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::container::bmff::boxes;
use super::facts::StoreFacts;
use super::jumbf::{self, RawManifest, Target};
use crate::codes::c2pa::{ASSERTION_CBOR_INVALID, ASSERTION_JSON_INVALID};
use crate::report::bounded;

/// The manifests (`labels`) outside the active manifest's provenance, sorted: neither the
/// active manifest nor any manifest it takes in through an ingredient assertion (directly or
/// through theirs) takes them in. `links` (manifest, the manifest it takes in) are the union
/// of what the validating path and provcheck's own structural reading resolved, so a link
/// either of them sees keeps its manifest in. Linear in the links: each manifest is entered
/// once.
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

/// The c2pa SDK's failures about manifests outside the provenance (`facts.unreferenced`) move to
/// `validation.informational`, with the manifest they are about:
/// * a failure whose URL names such a manifest (absolute `self#jumbf=/c2pa/<label>...`: the
///   SDK's "Failed to load manifest", a CAWG identity check of that manifest);
/// * `assertion.cbor.invalid` / `assertion.json.invalid`, which the SDK's store loader logs
///   with the bare assertion label for any manifest of the store: when the assertions of that
///   label that the SDK's own decoders refuse (`c2pa_cbor`, `serde_json`, as its loader
///   calls them; [`undecodable_assertions`]) are all in such manifests. One in a
///   manifest of the provenance keeps the failure.
///
/// Everything else stays a failure. `store`: the bytes `raw` was read from, if known.
pub(super) fn set_aside(facts: &mut StoreFacts, raw: &jumbf::Store, store: Option<&[u8]>) {
    if facts.unreferenced.is_empty() {
        return;
    }
    let outside = |l: &str| {
        facts
            .unreferenced
            .binary_search_by(|x| x.as_str().cmp(l))
            .is_ok()
    };
    let labels: HashSet<&str> = facts
        .manifests
        .keys()
        .map(String::as_str)
        .chain(raw.manifests.iter().map(|m| m.label.as_str()))
        .collect();
    let decoding_failures = facts
        .validation
        .failure
        .iter()
        .any(|s| [ASSERTION_CBOR_INVALID, ASSERTION_JSON_INVALID].contains(&s.code.as_str()));
    // (code, assertion label) -> the manifests whose assertion of that label the SDK's
    // decoders refuse
    let mut undecodable: HashMap<(&str, String), Vec<&str>> = HashMap::new();
    if let Some(store) = store.filter(|_| decoding_failures) {
        for m in &raw.manifests {
            for (label, code) in undecodable_assertions(store, m) {
                undecodable
                    .entry((code, label))
                    .or_default()
                    .push(m.label.as_str());
            }
        }
    }
    let mut moved = Vec::new();
    let mut kept = Vec::new();
    for s in std::mem::take(&mut facts.validation.failure) {
        let url = s
            .full_url
            .as_deref()
            .or(s.url.as_deref())
            .unwrap_or_default();
        let about: Option<String> = if url.starts_with("self#jumbf=") {
            // an absolute URL names its manifest; a relative one names none ("" here)
            jumbf::resolve_uri(url, "", &labels)
                .map(|t: Target| t.manifest().to_string())
                .filter(|m| outside(m))
        } else if [ASSERTION_CBOR_INVALID, ASSERTION_JSON_INVALID].contains(&s.code.as_str()) {
            undecodable
                .get(&(s.code.as_str(), url.to_string()))
                .filter(|ms| ms.iter().all(|m| outside(m)))
                .and_then(|ms| ms.first())
                .map(|m| m.to_string())
        } else {
            None
        };
        match about {
            Some(m) => moved.push(crate::report::Status {
                scope: bounded(&format!("self#jumbf=/c2pa/{m}"), super::facts::MAX_FIELD),
                manifest: Some(m),
                ..s
            }),
            None => kept.push(s),
        }
    }
    facts.validation.failure = kept;
    facts.validation.informational.extend(moved);
}

/// [`unreferenced`] by provcheck's structural reading alone: the active manifest is the store's
/// last, the links its ingredient assertions'. Empty for an empty store.
pub(super) fn outside_raw(raw: &jumbf::Store) -> Vec<String> {
    let Some(active) = raw.manifests.last() else {
        return Vec::new();
    };
    unreferenced(
        &active.label,
        raw.manifests.iter().map(|m| m.label.as_str()),
        raw.ingredient_links
            .iter()
            .map(|(from, to)| (from.as_str(), to.as_str())),
    )
}

/// Up to three of `labels` (bounded), then how many more: for explanations.
pub(crate) fn some_named(labels: &[String]) -> String {
    let mut named: Vec<String> = labels.iter().take(3).map(|l| bounded(l, 120)).collect();
    if labels.len() > 3 {
        named.push(format!("{} more", labels.len() - 3));
    }
    named.join(", ")
}

/// The SDK could not read a store at all (`explanation`, its error): when the store holds
/// manifests outside the provenance (`outside`, by provcheck's structural reading: [`outside_raw`]),
/// say so and name up to three, since the SDK loads every manifest and one added after signing can stop it.
pub(super) fn explain_failed_read(explanation: String, outside: &[String]) -> String {
    if outside.is_empty() {
        return explanation;
    }
    format!(
        "{explanation}; the store also holds {} manifest(s) that nothing references ({}), which the SDK loads too: one added after signing can stop it reading the store",
        outside.len(),
        some_named(outside)
    )
}

/// `store` (one JUMBF superbox) without the manifests `drop` names: every other box kept byte
/// for byte, in order, the store box's size recomputed. `None` when `drop` names nothing in it
/// or the store is not a plain superbox with a 32-bit size. The c2pa SDK cannot read some
/// stores only because of a manifest added to them that nothing references (it loads every
/// manifest); validating the store without it changes no byte any signature or hashed URI of
/// the provenance covers.
pub(super) fn without(store: &[u8], drop: &[String]) -> Option<Vec<u8>> {
    const HEADER: usize = 8;
    let top = boxes(store, 0).next()?;
    if &top.kind != b"jumb" || top.start != HEADER {
        return None;
    }
    let mut payload = Vec::with_capacity(top.body.len());
    let mut from = top.start;
    let mut dropped = false;
    for b in boxes(top.body, top.start) {
        let end = b.start.checked_add(b.body.len())?;
        let whole = store.get(from..end)?;
        from = end;
        let label = superbox_label(b.kind, b.body);
        if label.is_some_and(|l| drop.contains(&l)) {
            dropped = true;
            continue;
        }
        payload.extend_from_slice(whole);
    }
    if !dropped || from != top.start.checked_add(top.body.len())? {
        return None;
    }
    let size = u32::try_from(payload.len().checked_add(HEADER)?).ok()?;
    let mut out = Vec::with_capacity(payload.len() + HEADER);
    out.extend_from_slice(&size.to_be_bytes());
    out.extend_from_slice(b"jumb");
    out.extend(payload);
    Some(out)
}

/// The label of a JUMBF superbox (`kind`, `body`) as provcheck's structural reading spells it
/// ([`jumbf::jumd_label`]), if it has one.
fn superbox_label(kind: [u8; 4], body: &[u8]) -> Option<String> {
    if &kind != b"jumb" {
        return None;
    }
    jumbf::jumd_label(boxes(body, 0).next().filter(|d| &d.kind == b"jumd")?.body)
}

/// The assertions manifest `m` lists whose content the c2pa SDK's store loader refuses, with
/// the code it logs: a `cbor` content box `c2pa_cbor` cannot decode as a value
/// (`assertion.cbor.invalid`), a `json` one `serde_json` cannot (`assertion.json.invalid`),
/// the decoders and calls of c2pa 0.90.22's `get_assertion_from_jumbf_store`. `store`: the
/// bytes `m` was read from. Used only for stores that hold manifests outside the provenance.
pub(super) fn undecodable_assertions(store: &[u8], m: &RawManifest) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for (label, range) in &m.assertion_ranges {
        if !m.referenced.contains(label) {
            continue;
        }
        // the superbox's payload: its description box, then the content box
        let Some(content) = store.get(range.clone()).and_then(|p| boxes(p, 0).nth(1)) else {
            continue;
        };
        let refused = match &content.kind {
            b"cbor" => c2pa_cbor::from_slice::<c2pa_cbor::Value>(content.body)
                .is_err()
                .then_some(ASSERTION_CBOR_INVALID),
            b"json" => serde_json::from_slice::<serde_json::Value>(content.body)
                .is_err()
                .then_some(ASSERTION_JSON_INVALID),
            _ => None,
        };
        out.extend(refused.map(|code| (label.clone(), code)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{undecodable_assertions, unreferenced, without};
    use crate::read::container::bmff::{boxed as bx, jumbf_superbox as superbox};
    use crate::read::jumbf::parse_store;
    use coset::cbor::value::Value;

    /// The store without a manifest: the other boxes byte for byte and in order, the size
    /// recomputed; nothing when the label names no manifest or the header is not plain.
    #[test]
    fn a_store_without_the_named_manifests_keeps_every_other_byte() {
        let manifest = |label: &str| superbox(label, &[bx(b"cbor", label.as_bytes())]);
        let store = superbox(
            "c2pa",
            &[
                manifest("urn:a"),
                manifest("urn:orphan"),
                manifest("urn:active"),
            ],
        );
        let expected = superbox("c2pa", &[manifest("urn:a"), manifest("urn:active")]);
        assert_eq!(without(&store, &["urn:orphan".into()]), Some(expected));
        assert_eq!(
            without(&store, &["urn:a".into(), "urn:orphan".into()]),
            Some(superbox("c2pa", &[manifest("urn:active")]))
        );
        // a label of no manifest, or of the store itself: nothing to drop
        assert_eq!(without(&store, &["urn:none".into()]), None);
        assert_eq!(without(&store, &["c2pa".into()]), None);
        // a 64-bit size header is not rewritten
        let mut large = vec![0, 0, 0, 1];
        large.extend(b"jumb");
        large.extend(((store.len() + 8) as u64).to_be_bytes());
        large.extend(&store[8..]);
        assert_eq!(without(&large, &["urn:orphan".into()]), None);
        // a trailing partial box inside the store: refused, not silently cut
        let mut ragged = store.clone();
        ragged.extend([0, 0, 0]);
        let n = ragged.len() as u32;
        ragged[..4].copy_from_slice(&n.to_be_bytes());
        assert_eq!(without(&ragged, &["urn:orphan".into()]), None);
    }

    #[test]
    fn assertions_the_sdk_decoders_refuse_are_named_with_their_code() {
        let assertions = [
            superbox("stds.exif", &[bx(b"cbor", &[0xff])]),
            superbox("c2pa.trailing", &[bx(b"cbor", &[0xa0, 0x00])]),
            superbox("c2pa.cbor", &[bx(b"cbor", &[0xa0])]),
            superbox("c2pa.creative", &[bx(b"json", b"{\"a\":")]),
            superbox("c2pa.json", &[bx(b"json", b"{\"a\": 1}")]),
            // not listed in the claim: the SDK's loader never gets to its content
            superbox("c2pa.unlisted", &[bx(b"cbor", &[0xff])]),
        ];
        let listed = [
            "stds.exif",
            "c2pa.trailing",
            "c2pa.cbor",
            "c2pa.creative",
            "c2pa.json",
        ]
        .map(|l| {
            Value::Map(vec![
                (
                    Value::Text("url".into()),
                    Value::Text(format!("self#jumbf=c2pa.assertions/{l}")),
                ),
                (Value::Text("hash".into()), Value::Bytes(vec![0; 32])),
            ])
        });
        let claim = Value::Map(vec![(
            Value::Text("created_assertions".into()),
            Value::Array(listed.to_vec()),
        )]);
        let mut claim_cbor = Vec::new();
        coset::cbor::ser::into_writer(&claim, &mut claim_cbor).unwrap();
        let store = superbox(
            "c2pa",
            &[superbox(
                "urn:uuid:m",
                &[
                    superbox("c2pa.assertions", &assertions),
                    superbox("c2pa.claim.v2", &[bx(b"cbor", &claim_cbor)]),
                ],
            )],
        );
        let raw = parse_store(&store);
        let m = raw.get("urn:uuid:m").expect("the manifest");
        let mut found = undecodable_assertions(&store, m);
        found.sort();
        assert_eq!(
            found,
            [
                ("c2pa.creative".to_string(), "assertion.json.invalid"),
                ("c2pa.trailing".to_string(), "assertion.cbor.invalid"),
                ("stds.exif".to_string(), "assertion.cbor.invalid"),
            ]
        );
    }

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
