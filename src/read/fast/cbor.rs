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

/// Whether the SDK, building manifest `m`'s JSON, gets past its listed assertion `label` (raw
/// bytes in `store`): it decodes every CBOR assertion but a hard binding into JSON, and one that
/// does not decode fails the whole manifest. Assertions with other content (embedded files) are
/// not its question.
pub(super) fn sdk_loads(m: &RawManifest, label: &str, store: &[u8]) -> bool {
    if matches!(
        label,
        "c2pa.hash.data" | "c2pa.hash.boxes" | "c2pa.hash.bmff.v2" | "c2pa.hash.bmff.v3"
    ) {
        return true;
    }
    let cbor = m
        .assertion_ranges
        .iter()
        .find(|(l, _)| l == label)
        .and_then(|(_, r)| store.get(r.clone()))
        .and_then(cbor_content);
    cbor.is_none_or(sdk_json_decodes)
}
