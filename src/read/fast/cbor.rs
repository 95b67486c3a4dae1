//! Reading CBOR values of claims and assertions (as coset's `ciborium` parses them), with the
//! helpers `read::cose` already has; and the two questions about an assertion's raw CBOR that
//! only the SDK's own decoder answers exactly.

use coset::cbor::value::Value;

use crate::read::container::bmff::boxes;
use crate::read::jumbf::RawManifest;

pub(super) use crate::read::cose::{as_text as text, map_get};

/// The text value of `key` in a CBOR map.
pub(super) fn get_text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    map_get(v, key).and_then(text)
}

/// The CBOR content of an assertion superbox's payload (`payload`: the description box, then
/// the content box): the body of its one `cbor` content box, as the SDK's loader takes it.
pub(super) fn cbor_content(payload: &[u8]) -> Option<&[u8]> {
    let mut it = boxes(payload, 0);
    let first = it.next()?;
    let content = it.next()?;
    (&first.kind == b"jumd" && &content.kind == b"cbor" && it.next().is_none())
        .then_some(content.body)
}

/// Whether the SDK's reader turns this CBOR into JSON, as `Manifest::from_store` does with every
/// CBOR assertion it has no type of its own for (`Assertion::as_json_object`: `c2pa_cbor`
/// transcoded into `serde_json` text, which is parsed again). When it cannot (a map key that is
/// a byte string, an array or null; nesting past `serde_json`'s limit), the SDK does not load
/// the manifest at all. The same crates do the same steps here, so the answer is the SDK's.
pub(super) fn sdk_json_decodes(cbor: &[u8]) -> bool {
    let mut from = c2pa_cbor::Deserializer::from_slice(cbor);
    let mut to = serde_json::Serializer::new(Vec::new());
    serde_transcode::transcode(&mut from, &mut to).is_ok()
        && serde_json::from_slice::<serde_json::Value>(&to.into_inner()).is_ok()
}

/// The payload of manifest `m`'s assertion superbox `label` (description box and content).
fn assertion_payload<'s>(m: &RawManifest, label: &str, store: &'s [u8]) -> Option<&'s [u8]> {
    m.assertion_ranges
        .iter()
        .find(|(l, _)| l == label)
        .and_then(|(_, r)| store.get(r.clone()))
}

/// The CBOR of manifest `m`'s assertion `label`, as the SDK's loader takes it.
pub(super) fn assertion_cbor<'s>(
    m: &RawManifest,
    label: &str,
    store: &'s [u8],
) -> Option<&'s [u8]> {
    assertion_payload(m, label, store).and_then(cbor_content)
}

/// Whether the SDK, loading manifest `m` and building its JSON, gets past its listed assertion
/// `label` (raw bytes in `store`) without a finding the own path does not make: its store
/// loader checks every CBOR assertion is one whole CBOR item; its manifest builder decodes a
/// claim thumbnail as an embedded file, actions into its `Actions`, every other CBOR assertion
/// but a data or box hash into JSON, and one that does not decode fails the whole manifest.
/// Assertions with other content (embedded files, JSON, which [`super::shape`] checks) pass.
pub(super) fn sdk_loads(m: &RawManifest, label: &str, store: &[u8]) -> bool {
    let payload = assertion_payload(m, label, store);
    // a claim thumbnail is read as an embedded file (`EmbeddedData::from_assertion`), and any
    // other content fails the manifest
    if label.starts_with("c2pa.thumbnail.claim") {
        return payload.is_some_and(|p| {
            let mut it = boxes(p, 0);
            it.next().is_some_and(|b| &b.kind == b"jumd")
                && it.next().is_some_and(|b| &b.kind == b"bfdb")
        });
    }
    let Some(cbor) = assertion_cbor(m, label, store) else {
        return true;
    };
    // the store loader's own check of every CBOR assertion (it logs
    // `assertion.cbor.invalid`): one whole CBOR item, nothing after it
    if c2pa_cbor::from_slice::<c2pa_cbor::Value>(cbor).is_err() {
        return false;
    }
    // the active manifest's data or box hash is decoded into the SDK's own type when it checks
    // the binding (`DataHash::from_assertion`, `BoxHash::from_assertion`: c2pa_cbor), and one
    // that does not decode fails the store (an ingredient's need not, but declining is safe)
    let typed = match crate::read::jumbf::base_label(label) {
        "c2pa.hash.data" => c2pa_cbor::from_slice::<c2pa::assertions::DataHash>(cbor).is_ok(),
        "c2pa.hash.boxes" => c2pa_cbor::from_slice::<c2pa::assertions::BoxHash>(cbor).is_ok(),
        _ => true,
    };
    if !typed {
        return false;
    }
    // the manifest builder skips exactly these labels (its `labels::DATA_HASH`, `BOX_HASH`); a
    // BMFF hash's versioned label is not its `BMFF_HASH` and is decoded with the rest
    if matches!(label, "c2pa.hash.data" | "c2pa.hash.boxes") {
        return true;
    }
    // an actions assertion is decoded into the SDK's `Actions` (its `from_assertion`: the
    // label's version, at most 2 for the two labels the own path reads, then `c2pa_cbor`); a
    // field of the wrong type fails it where the own path's reading would not notice
    if matches!(
        crate::read::jumbf::base_label(label),
        "c2pa.actions" | "c2pa.actions.v2"
    ) {
        return c2pa_cbor::from_slice::<c2pa::assertions::Actions>(cbor).is_ok();
    }
    sdk_json_decodes(cbor)
}
