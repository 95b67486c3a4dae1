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

/// The CBOR alias under which the SDK also reads a generator's `operating_system`.
const OS_ALIAS: &str = "schema.org.SoftwareApplication.operatingSystem";

/// Whether one `claim_generator_info` map decodes into the SDK's `ClaimGeneratorInfo` (c2pa
/// 0.90.22 src/claim_generator_info.rs): a text `name`; `version` and `operating_system` (or its
/// alias, not both) absent or text. The SDK drops a v1 claim's whole list when one entry does
/// not decode (`map_cbor_to_type`, lenient) and fails a v2 claim's decoding; either way the own
/// path declines. A null, which the SDK reads as absent, declines too. The icon is
/// `check_manifest`'s (read/fast/icons.rs).
pub(super) fn generator_info_decodes(g: &Value) -> bool {
    let absent_or_text = |key| map_get(g, key).is_none_or(|v| text(v).is_some());
    matches!(g, Value::Map(_))
        && get_text(g, "name").is_some()
        && absent_or_text("version")
        && absent_or_text("operating_system")
        && absent_or_text(OS_ALIAS)
        && (map_get(g, "operating_system").is_none() || map_get(g, OS_ALIAS).is_none())
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
/// loader checks every CBOR assertion is one whole CBOR item (`assertion.cbor.invalid`); its
/// binding check decodes the data or box hash into its own type; its manifest builder decodes a
/// claim thumbnail as an embedded file and every other CBOR assertion but those hashes and the
/// actions (decoded where the own path reads them, `check_manifest`) into JSON, and one that
/// does not decode fails the whole manifest or store. Content other than CBOR (embedded files,
/// JSON, which [`super::shape`] checks) passes.
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
    let Some(cbor) = payload.and_then(cbor_content) else {
        return true;
    };
    if c2pa_cbor::from_slice::<c2pa_cbor::Value>(cbor).is_err() {
        return false;
    }
    match crate::read::jumbf::base_label(label) {
        // the active manifest's (an ingredient's need not decode, but declining is safe); the
        // manifest builder skips exactly the plain labels (its `labels::DATA_HASH`, `BOX_HASH`)
        "c2pa.hash.data" => {
            c2pa_cbor::from_slice::<c2pa::assertions::DataHash>(cbor).is_ok()
                && (label == "c2pa.hash.data" || sdk_json_decodes(cbor))
        }
        "c2pa.hash.boxes" => {
            c2pa_cbor::from_slice::<c2pa::assertions::BoxHash>(cbor).is_ok()
                && (label == "c2pa.hash.boxes" || sdk_json_decodes(cbor))
        }
        "c2pa.actions" | "c2pa.actions.v2" => true,
        // a BMFF hash's versioned label is not the builder's `BMFF_HASH`: decoded with the rest
        _ => sdk_json_decodes(cbor),
    }
}
