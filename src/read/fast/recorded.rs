//! What a store's ingredient assertions recorded of their ingredients' validation, which the
//! SDK does not report again (`ValidationResults::from_store`).
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use std::collections::HashSet;

use c2pa::status_tracker::LogKind;
use coset::cbor::value::Value;

use super::cbor::{get_text, map_get};
use super::uris::{absolute, manifest_of_uri};
use crate::read::jumbf::{base_label, RawManifest};

/// The kind of a status as the SDK's `ValidationStatus` equality compares it (code, URL, kind).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Success,
    Informational,
    Failure,
}

/// Every status the store's ingredient assertions recorded, as the SDK compares them:
/// (code, URL made absolute against the ingredient's manifest, kind by the SDK's `log_kind`).
///
/// A set: an attacker can record thousands of statuses per ingredient, and every logged status
/// is looked up once.
pub(super) fn recorded_statuses<'m>(
    manifests: impl Iterator<Item = &'m RawManifest>,
) -> HashSet<(String, String, Kind)> {
    use c2pa::validation_results::validation_codes::log_kind;
    let mut out = HashSet::new();
    for m in manifests {
        for (al, v) in &m.assertion_values {
            if !matches!(
                base_label(al),
                "c2pa.ingredient" | "c2pa.ingredient.v2" | "c2pa.ingredient.v3"
            ) {
                continue;
            }
            let label = ["activeManifest", "c2pa_manifest"]
                .iter()
                .find_map(|k| map_get(v, k).and_then(|h| get_text(h, "url")))
                .and_then(manifest_of_uri);
            let mut lists: Vec<&Value> = Vec::new();
            if let Some(vr) = map_get(v, "validationResults") {
                if let Some(a) = map_get(vr, "activeManifest") {
                    for k in ["success", "informational", "failure"] {
                        lists.extend(map_get(a, k));
                    }
                }
                if let Some(Value::Array(deltas)) = map_get(vr, "ingredientDeltas") {
                    for d in deltas.iter().take(1_000) {
                        if let Some(dv) = map_get(d, "validationDeltas") {
                            for k in ["success", "informational", "failure"] {
                                lists.extend(map_get(dv, k));
                            }
                        }
                    }
                }
            } else if let Some(vs) = map_get(v, "validationStatus") {
                lists.push(vs);
            }
            for list in lists {
                let Value::Array(items) = list else { continue };
                for st in items.iter().take(10_000) {
                    let (Some(code), Some(url)) = (get_text(st, "code"), get_text(st, "url"))
                    else {
                        continue;
                    };
                    let url = match &label {
                        Some(l) if url.starts_with("self#jumbf") => absolute(l, url),
                        _ => url.to_string(),
                    };
                    let kind = match log_kind(code) {
                        LogKind::Success => Kind::Success,
                        LogKind::Informational => Kind::Informational,
                        _ => Kind::Failure,
                    };
                    out.insert((code.to_string(), url, kind));
                }
            }
        }
    }
    out
}
