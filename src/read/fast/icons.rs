//! A claim generator's icon (`claim_generator_info[].icon`, C2PA 2.2 section 11.1: a hashed URI
//! to an assertion of the claim, usually `c2pa.icon`), as c2pa 0.90.22 takes it: its claim
//! check (`verify_icons`) compares the icon's hash with the hash of the assertion the URI names
//! (`assertion.hashedURI.mismatch` when they differ, `assertion.missing` when no assertion has
//! that label) and stops at an icon in a data box; its manifest builder (`to_resource_ref`)
//! fails the manifest for an icon it cannot find. The own path takes the one case where the
//! SDK logs nothing: an icon naming exactly one listed assertion, with that assertion's hash.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use coset::cbor::value::Value;

/// Whether the SDK takes `icon` without a status or an error, in a claim whose assertion list
/// holds `listed` (the label of the assertion box each entry names, and the hash the entry
/// gives, which the own path has matched against the box).
pub(super) fn resolves(icon: &Value, listed: &[(&str, &[u8])]) -> bool {
    // the SDK's `HashedUri` (`url`, optional `alg`, `hash`), not its `ResourceRef` (which needs
    // `format` and `identifier`); other keys or types go to the SDK
    let Value::Map(entries) = icon else {
        return false;
    };
    let mut url = None;
    let mut hash = None;
    for (k, v) in entries {
        match (k, v) {
            (Value::Text(k), Value::Text(u)) if k == "url" && url.is_none() => url = Some(u),
            (Value::Text(k), Value::Bytes(h)) if k == "hash" && hash.is_none() => hash = Some(h),
            (Value::Text(k), Value::Text(_)) if k == "alg" => {}
            _ => return false,
        }
    }
    let (Some(url), Some(hash)) = (url, hash) else {
        return false;
    };
    if url.contains("c2pa.databoxes") {
        return false;
    }
    let Some(target) = label_from_link(url) else {
        return false;
    };
    let mut named = listed
        .iter()
        .filter(|(l, _)| label_from_link(l).as_ref() == Some(&target));
    match (named.next(), named.next()) {
        (Some((_, listed_hash)), None) => *listed_hash == hash.as_slice(),
        _ => false,
    }
}

/// The SDK's `Claim::assertion_label_from_link`: the last path segment of the URI's part after
/// its first `=`, split at `__` into a label and an instance (0 unless the rest is a number).
/// `None` for an ingredient thumbnail, which it reads another way.
fn label_from_link(link: &str) -> Option<(String, usize)> {
    let uri = link.split('=').nth(1).unwrap_or(link);
    let last = uri.rsplit('/').next().unwrap_or(uri);
    if last.starts_with("c2pa.thumbnail.ingredient") {
        return None;
    }
    let parts: Vec<&str> = last.split("__").collect();
    let instance = match parts.as_slice() {
        [_, n] => n.parse().unwrap_or(0),
        _ => 0,
    };
    Some((
        parts.first().copied().unwrap_or_default().to_string(),
        instance,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_the_sdk_reads_links() {
        for (link, want) in [
            (
                "self#jumbf=c2pa.assertions/c2pa.icon",
                Some(("c2pa.icon", 0)),
            ),
            (
                "self#jumbf=/c2pa/urn:c2pa:1/c2pa.assertions/c2pa.icon__2",
                Some(("c2pa.icon", 2)),
            ),
            ("c2pa.icon__x", Some(("c2pa.icon", 0))),
            ("c2pa.icon__1__2", Some(("c2pa.icon", 0))),
            (
                "self#jumbf=c2pa.assertions/c2pa.thumbnail.ingredient.jpeg",
                None,
            ),
        ] {
            let got = label_from_link(link);
            assert_eq!(got.as_ref().map(|(l, i)| (l.as_str(), *i)), want, "{link}");
        }
    }
}
