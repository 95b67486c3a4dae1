//! C2PA 2.x claims (`c2pa.claim.v2`) on the own path: the claim's fields and label, and the
//! action rules the SDK applies to them (its `Claim::verify_actions` for claims of version 2,
//! C2PA 2.2 section 18.15.4 / "Validate the Actions"), as sufficient conditions: a claim passes
//! only when every rule the SDK runs would log nothing. Anything the SDK would log, and anything
//! these checks do not cover (several actions assertions, templates, icons, redactions,
//! translations, vendor or version parts in the manifest label), declines, and the SDK judges
//! the file.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use c2pa::assertions::Actions;
use coset::cbor::value::Value;

use super::cbor::{self, get_text, map_get, text};

/// Keys a v2 claim may carry (the SDK's `V2_FIELDS`), less `metadata` (its assertion-metadata
/// rules are not ported): anything else goes to the SDK.
const V2_CLAIM_KEYS: &[&str] = &[
    "instanceID",
    "claim_generator_info",
    "signature",
    "created_assertions",
    "gathered_assertions",
    "dc:title",
    "redacted_assertions",
    "alg",
    "alg_soft",
];

/// The claim's own fields, typed as the SDK's `Claim::from_value` reads a version 2 claim.
pub(super) fn check_claim(claim: &Value, label: &str) -> Result<(), &'static str> {
    let Value::Map(entries) = claim else {
        return Err("claim not a map");
    };
    if entries
        .iter()
        .any(|(k, _)| !text(k).is_some_and(|k| V2_CLAIM_KEYS.contains(&k)))
    {
        return Err("unusual claim field");
    }
    for key in ["instanceID", "signature"] {
        if get_text(claim, key).is_none() {
            return Err("claim field missing");
        }
    }
    for key in ["dc:title", "alg", "alg_soft"] {
        if map_get(claim, key).is_some_and(|t| text(t).is_none()) {
            return Err("claim field not text");
        }
    }
    if !matches!(map_get(claim, "created_assertions"), Some(Value::Array(_))) {
        return Err("no created assertions");
    }
    if map_get(claim, "gathered_assertions").is_some_and(|g| !matches!(g, Value::Array(_))) {
        return Err("gathered assertions not a list");
    }
    // an empty list redacts nothing; any redaction goes to the SDK
    match map_get(claim, "redacted_assertions") {
        None => {}
        Some(Value::Array(r)) if r.is_empty() => {}
        Some(_) => return Err("redactions"),
    }
    // one generator-info map (C2PA 2.x), named (its icon: `check_manifest`)
    let cgi = map_get(claim, "claim_generator_info").ok_or("claim field missing")?;
    if !cbor::generator_info_decodes(cgi) {
        return Err("claim_generator_info entry");
    }
    if !plain_v2_label(label) {
        return Err("manifest label");
    }
    Ok(())
}

/// `urn:c2pa:`, a UUID in its canonical 8-4-4-4-12 hexadecimal form and optionally `:` and a
/// claim generator part of 1 to 32 printable ASCII characters without spaces: forms the SDK's
/// `manifest_label_to_parts` accepts for a 2.x claim (C2PA 2.2 section 8.3 "Unique
/// identifiers"). A version or reason part, and anything else, goes to the SDK.
fn plain_v2_label(label: &str) -> bool {
    let Some(rest) = label.strip_prefix("urn:c2pa:") else {
        return false;
    };
    let (uuid, vendor) = match rest.split_once(':') {
        None => (rest, None),
        Some((uuid, vendor)) => (uuid, Some(vendor)),
    };
    if vendor.is_some_and(|v| {
        v.is_empty() || v.len() > 32 || !v.bytes().all(|b| b.is_ascii_graphic() && b != b':')
    }) {
        return false;
    }
    let groups: Vec<&str> = uuid.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The assertion label an action's ingredient reference names, as the SDK's
/// `assertion_label_from_uri` reads it (after its `to_normalized_uri`): the part after
/// `c2pa.assertions/` (or `c2pa.databoxes/`) of a relative or absolute JUMBF URI.
fn referenced_label(uri: &str) -> Option<String> {
    let parts: Vec<&str> = uri.split('=').collect();
    let output = match parts.as_slice() {
        [one] => one.to_string(),
        [_, second, ..] => second.to_string(),
        [] => return None,
    };
    let raw = if output.starts_with("c2pa/") {
        format!("/{output}")
    } else {
        output
    };
    let parts: Vec<&str> = raw.split('/').collect();
    match parts.as_slice() {
        [_, "c2pa", _, "c2pa.assertions" | "c2pa.databoxes", label, ..] => Some(label.to_string()),
        ["c2pa.assertions", label, ..] => Some(label.to_string()),
        _ => None,
    }
}

/// The SDK's action rules for a version 2 claim with exactly one actions assertion `actions`
/// (its CBOR, and `decoded` into the SDK's `Actions` from the same bytes), whose ingredient
/// assertions are `ingredients` (label, relationship). `Ok` when the SDK would log nothing.
pub(super) fn check_actions(
    actions: &Value,
    decoded: &Actions,
    ingredients: &[(&str, &str)],
) -> Result<(), &'static str> {
    // templates and icons refer to other assertions (not ported); so does metadata
    if decoded.templates().is_some() || decoded.software_agents().is_some() {
        return Err("action templates or agents");
    }
    if map_get(actions, "metadata").is_some() {
        return Err("actions metadata");
    }
    let list = decoded.actions();
    // 1. an actions array that is not empty; 2.a its first action created or opened
    let Some(first) = list.first() else {
        return Err("no actions");
    };
    if !matches!(first.action(), "c2pa.created" | "c2pa.opened") {
        return Err("first action");
    }
    let Some(Value::Array(raw_list)) = map_get(actions, "actions") else {
        return Err("actions shape");
    };
    let resolves = |refs: &[String], relationship: &str| {
        refs.iter().any(|r| {
            referenced_label(r).is_some_and(|l| {
                ingredients
                    .iter()
                    .any(|(il, rel)| *il == l && *rel == relationship)
            })
        })
    };
    for (action, raw) in list.iter().zip(raw_list) {
        let name = action.action();
        if name.is_empty() {
            return Err("action name");
        }
        // 2.h a software agent's icon (a hashed URI): not ported
        if map_get(raw, "softwareAgent").is_some_and(|a| map_get(a, "icon").is_some()) {
            return Err("software agent icon");
        }
        if matches!(name, "c2pa.translated" | "c2pa.redacted") {
            return Err("action kind");
        }
        let params = action.parameters();
        let refs: Option<Vec<String>> =
            params.and_then(|p| match (&p.ingredient, &p.ingredients) {
                (Some(h), _) => Some(vec![h.url()]),
                (None, Some(list)) => Some(list.iter().map(|h| h.url()).collect()),
                (None, None) => None,
            });
        match name {
            // 2.b opened, placed and removed name their ingredients (a non-empty list), which
            // are the claim's parent (opened) or components
            "c2pa.opened" | "c2pa.placed" | "c2pa.removed" => {
                let Some(refs) = refs else {
                    return Err("action ingredients");
                };
                // the SDK checks an `ingredients` list is not empty even beside `ingredient`
                if params.is_some_and(|p| p.ingredients.as_ref().is_some_and(Vec::is_empty)) {
                    return Err("action ingredients");
                }
                let relationship = if name == "c2pa.opened" {
                    "parentOf"
                } else {
                    "componentOf"
                };
                if refs.is_empty() || !resolves(&refs, relationship) {
                    return Err("action ingredients");
                }
            }
            // 2.c an ingredient a transcode or repackage names is the parent
            "c2pa.transcoded" | "c2pa.repackaged"
                if refs
                    .as_ref()
                    .is_some_and(|refs| !resolves(refs, "parentOf")) =>
            {
                return Err("action ingredients");
            }
            _ => {}
        }
        // 2.b.v a created action says what kind of source made it
        if name == "c2pa.created" && action.source_type().is_none() {
            return Err("created without a source type");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_the_sdk_reads_ingredient_references() {
        for (uri, want) in [
            (
                "self#jumbf=c2pa.assertions/c2pa.ingredient.v3",
                Some("c2pa.ingredient.v3"),
            ),
            (
                "self#jumbf=/c2pa/urn:c2pa:1/c2pa.assertions/c2pa.ingredient.v3__1",
                Some("c2pa.ingredient.v3__1"),
            ),
            ("self#jumbf=c2pa/urn:c2pa:1/c2pa.assertions/x", Some("x")),
            ("self#jumbf=c2pa.assertions", None),
            ("self#jumbf=/c2pa/urn:c2pa:1/c2pa.claim", None),
        ] {
            assert_eq!(referenced_label(uri).as_deref(), want, "{uri}");
        }
    }

    #[test]
    fn only_the_plain_urn_form_is_a_plain_label() {
        let uuid = "111fb761-56ed-fb34-221d-4590dbef7d3e";
        for (label, plain) in [
            (format!("urn:c2pa:{uuid}"), true),
            (format!("urn:c2pa:{uuid}:acme"), true),
            (format!("urn:uuid:{uuid}"), false),
            (format!("urn:c2pa:{uuid}:"), false),
            (format!("urn:c2pa:{uuid}:acme:1"), false),
            (format!("urn:c2pa:{uuid}:ac me"), false),
            (format!("urn:c2pa::{uuid}"), false),
            ("urn:c2pa:111fb761-56ed-fb34-221d-4590dbef7d3".into(), false),
            (
                "urn:c2pa:111fb761x56ed-fb34-221d-4590dbef7d3e".into(),
                false,
            ),
        ] {
            assert_eq!(plain_v2_label(&label), plain, "{label}");
        }
    }
}
