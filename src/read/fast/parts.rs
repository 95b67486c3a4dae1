//! The parts of a manifest the own path reads for itself: a v1 claim's fields, and actions and
//! ingredient assertions of the plain shapes (anything else declines).
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use coset::cbor::value::Value;

use super::cbor::{get_text, map_get, text};
use super::uris::manifest_of_uri;
use crate::read::facts::{iptc_term, IngredientFacts, MAX_CLAIM_FIELD, MAX_FIELD, MAX_ITEMS};
use crate::read::jumbf::base_label;
use crate::report::{bounded, ActionInfo};

/// Keys a v1 claim may carry (C2PA 1.x "Claim"); anything else goes to the SDK.
const V1_CLAIM_KEYS: &[&str] = &[
    "claim_generator",
    "claim_generator_info",
    "signature",
    "assertions",
    "dc:format",
    "instanceID",
    "dc:title",
    "alg",
    "alg_soft",
    "metadata",
    "claim_generator_hints",
];

/// An ingredient assertion of a checked manifest.
pub(super) struct Ing {
    /// Its label in the assertion store.
    pub label: String,
    pub facts: IngredientFacts,
    /// `c2pa_manifest`: (manifest label, URL as written, hash).
    pub manifest: Option<(String, String, Vec<u8>)>,
    /// The reference's own hash algorithm, if it names one.
    pub alg: Option<String>,
}

/// Assertion labels whose validation the SDK does something the fast path does not (time-stamp
/// assertions feed the signature check; identity assertions run CAWG
/// validation; other hard bindings; redaction-sensitive metadata).
pub(super) fn declined_assertion(label: &str) -> bool {
    let base = base_label(label);
    // CAWG identity assertions run the SDK's identity validation; a training-and-mining
    // assertion is plain data
    (base.starts_with("cawg.") && base != "cawg.training-mining")
        // the SDK's manifest builder decodes every label with these prefixes into its actions
        // or ingredient type, with the version the label gives; the own path reads these
        || (base.starts_with("c2pa.actions") && !matches!(base, "c2pa.actions" | "c2pa.actions.v2"))
        || (base.starts_with("c2pa.ingredient")
            && !matches!(
                base,
                "c2pa.ingredient" | "c2pa.ingredient.v2" | "c2pa.ingredient.v3"
            ))
        // a certificate-status assertion is read by [`super::ocsp`]; a versioned label the SDK
        // may read as one too, and refuse for its version
        || (base.starts_with("c2pa.certificate-status") && base != "c2pa.certificate-status")
        || matches!(
            base,
            "c2pa.time-stamp" | "c2pa.hash.collection.data"
                | "c2pa.metadata"
        )
}

/// A v1 claim's own fields, typed as the SDK's `Claim::from_value` reads them.
pub(super) fn check_v1_claim(claim: &Value) -> Result<(), &'static str> {
    let Value::Map(claim_entries) = claim else {
        return Err("claim not a map");
    };
    if claim_entries
        .iter()
        .any(|(k, _)| !text(k).is_some_and(|k| V1_CLAIM_KEYS.contains(&k)))
    {
        return Err("unusual claim field");
    }
    for key in ["claim_generator", "signature", "dc:format", "instanceID"] {
        if get_text(claim, key).is_none() {
            return Err("claim field missing");
        }
    }
    if map_get(claim, "dc:title").is_some_and(|t| text(t).is_none()) {
        return Err("claim title not text");
    }
    // `metadata` and `claim_generator_hints` are read into the SDK's types leniently
    // (`map_cbor_to_type`: a value that does not decode is taken as absent, never a failure) and
    // validated nowhere; c2pa's Builder writes `metadata` as an array of maps, so any value is
    // what the SDK accepts
    Ok(())
}

/// The actions of a `c2pa.actions` assertion, or `None` when its shape is not the plain one.
pub(super) fn read_actions(v: &Value, label: &str) -> Option<Vec<ActionInfo>> {
    let Value::Array(list) = map_get(v, "actions")? else {
        return None;
    };
    let mut out = Vec::new();
    for act in list {
        let name = get_text(act, "action")?;
        if name.is_empty() {
            return None;
        }
        // as the SDK path reads it (`read::text_of`): a name, or `{name, version}`
        let software_agent = match map_get(act, "softwareAgent") {
            None => None,
            Some(Value::Text(t)) => Some(bounded(t, MAX_CLAIM_FIELD)),
            Some(m @ Value::Map(_)) => {
                let name = get_text(m, "name")?;
                Some(bounded(
                    &match map_get(m, "version") {
                        None => name.to_string(),
                        Some(Value::Text(v)) => format!("{name} {v}"),
                        Some(_) => return None,
                    },
                    MAX_CLAIM_FIELD,
                ))
            }
            Some(_) => return None,
        };
        let digital_source_type = match map_get(act, "digitalSourceType") {
            None => None,
            Some(Value::Text(t)) => Some(iptc_term(t)),
            Some(_) => return None,
        };
        let description = match map_get(act, "description") {
            None => None,
            Some(Value::Text(t)) => Some(bounded(t, MAX_FIELD)),
            Some(_) => return None,
        };
        if out.len() < MAX_ITEMS {
            out.push(ActionInfo {
                action: bounded(name, 128),
                software_agent,
                digital_source_type,
                description,
                manifest: label.to_string(),
            });
        }
    }
    Some(out)
}

/// An ingredient assertion of the plain v1/v2/v3 shape, or `None`.
pub(super) fn read_ingredient(v: &Value, al: &str) -> Option<Ing> {
    let version = match base_label(al) {
        "c2pa.ingredient" => 1,
        "c2pa.ingredient.v2" => 2,
        _ => 3,
    };
    let v3 = version == 3;
    // v1/v2 name the ingredient's manifest `c2pa_manifest`, v3 `activeManifest`
    let (manifest_key, other_key) = if v3 {
        ("activeManifest", "c2pa_manifest")
    } else {
        ("c2pa_manifest", "activeManifest")
    };
    if !matches!(v, Value::Map(_)) || map_get(v, other_key).is_some() {
        return None;
    }
    if v3 && !plain_v3_ingredient(v) {
        return None;
    }
    // the fields the SDK's `Ingredient::from_assertion` requires of each version (the CDDL's
    // mandatory ones); without one it cannot read the store at all
    let relationship = match map_get(v, "relationship") {
        Some(Value::Text(t)) if matches!(t.as_str(), "parentOf" | "componentOf" | "inputTo") => t,
        _ => return None,
    };
    let mandatory: &[&str] = match version {
        1 => &["dc:title", "dc:format", "instanceID"],
        2 => &["dc:title", "dc:format"],
        _ => &[],
    };
    if mandatory.iter().any(|k| get_text(v, k).is_none()) {
        return None;
    }
    let text_or_none = |k: &str| match map_get(v, k) {
        None => Some(None),
        Some(Value::Text(t)) => Some(Some(t.as_str())),
        Some(_) => None,
    };
    let title = text_or_none("dc:title")?;
    let format = text_or_none("dc:format")?;
    let manifest = match map_get(v, manifest_key) {
        None => None,
        Some(h) => {
            let url = get_text(h, "url")?;
            let Some(Value::Bytes(hash)) = map_get(h, "hash") else {
                return None;
            };
            let label = manifest_of_uri(url).unwrap_or_else(|| url.to_string());
            Some((label, url.to_string(), hash.clone()))
        }
    };
    Some(Ing {
        label: al.to_string(),
        facts: IngredientFacts {
            title: title.map(|t| bounded(t, MAX_FIELD)),
            relationship: relationship.to_string(),
            format: format.map(|f| bounded(f, MAX_FIELD)),
            manifest: manifest.as_ref().map(|(l, _, _)| l.clone()),
            assertion_label: Some(al.to_string()),
        },
        alg: map_get(v, manifest_key)
            .and_then(|h| get_text(h, "alg"))
            .map(str::to_string),
        manifest,
    })
}

/// Fields a v3 ingredient may carry here, each of the type the SDK's `Ingredient` decodes; a v3
/// ingredient with a manifest must record its validation results (the SDK fails it without).
fn plain_v3_ingredient(v: &Value) -> bool {
    const KEYS: &[&str] = &[
        "dc:title",
        "dc:format",
        "relationship",
        "activeManifest",
        "claimSignature",
        "instanceID",
        "thumbnail",
        "validationResults",
        "description",
    ];
    let Value::Map(entries) = v else {
        return false;
    };
    let hashed_uri = |h: &Value| {
        let Value::Map(e) = h else { return false };
        get_text(h, "url").is_some()
            && matches!(map_get(h, "hash"), Some(Value::Bytes(_)))
            && map_get(h, "alg").is_none_or(|a| text(a).is_some())
            && e.iter()
                .all(|(k, _)| text(k).is_some_and(|k| matches!(k, "url" | "hash" | "alg")))
    };
    let statuses = |list: &Value| {
        let Value::Array(items) = list else {
            return false;
        };
        items.iter().all(|st| {
            let Value::Map(e) = st else { return false };
            get_text(st, "code").is_some()
                && e.iter().all(|(k, val)| {
                    text(k).is_some_and(|k| matches!(k, "code" | "url" | "explanation"))
                        && text(val).is_some()
                })
        })
    };
    let lists = |m: &Value| {
        let Value::Map(e) = m else { return false };
        e.iter().all(|(k, list)| {
            text(k).is_some_and(|k| matches!(k, "success" | "informational" | "failure"))
                && statuses(list)
        })
    };
    let results = |r: &Value| {
        let Value::Map(e) = r else { return false };
        e.iter().all(|(k, val)| match text(k) {
            Some("activeManifest") => lists(val),
            Some("ingredientDeltas") => {
                let Value::Array(deltas) = val else {
                    return false;
                };
                deltas.iter().all(|d| {
                    let Value::Map(de) = d else { return false };
                    get_text(d, "ingredientAssertionURI").is_some()
                        && map_get(d, "validationDeltas").is_some_and(lists)
                        && de.iter().all(|(k, _)| {
                            text(k).is_some_and(|k| {
                                matches!(k, "ingredientAssertionURI" | "validationDeltas")
                            })
                        })
                })
            }
            _ => false,
        })
    };
    entries
        .iter()
        .all(|(k, _)| text(k).is_some_and(|k| KEYS.contains(&k)))
        && ["instanceID", "description"]
            .iter()
            .all(|k| map_get(v, k).is_none_or(|t| text(t).is_some()))
        && ["activeManifest", "claimSignature", "thumbnail"]
            .iter()
            .all(|k| map_get(v, k).is_none_or(hashed_uri))
        && map_get(v, "validationResults").is_none_or(results)
        && (map_get(v, "activeManifest").is_none() || map_get(v, "validationResults").is_some())
}
