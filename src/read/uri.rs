//! JUMBF URIs (ISO/IEC 19566-5 `self#jumbf=`) as C2PA uses them, resolved *exactly* against the
//! manifest labels of a store, and the assertion labels the specification defines. Every decision
//! about what a status or a hashed URI is about goes through here, never through a substring of
//! the URI, whose manifest label the signer chose.

use std::collections::HashSet;

/// What a `self#jumbf=` URI names, resolved against the manifests of the store.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Manifest(String),
    Claim(String),
    Signature(String),
    Assertion { manifest: String, label: String },
    DataBox { manifest: String, label: String },
}

impl Target {
    pub fn manifest(&self) -> &str {
        match self {
            Target::Manifest(m) | Target::Claim(m) | Target::Signature(m) => m,
            Target::Assertion { manifest, .. } | Target::DataBox { manifest, .. } => manifest,
        }
    }
}

/// Labels of claims as the specification names them.
pub fn is_claim_label(l: &str) -> bool {
    l == "c2pa.claim" || l == "c2pa.claim.v2"
}

/// An assertion label without its instance suffix (`c2pa.hash.data__2` -> `c2pa.hash.data`).
pub fn base_label(label: &str) -> &str {
    match label.rfind("__") {
        Some(i)
            if label
                .get(i + 2..)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            label.get(..i).unwrap_or(label)
        }
        _ => label,
    }
}

/// Hard-binding assertion labels (C2PA 2.x "Hard bindings"), by base label.
pub fn is_hard_binding(label: &str) -> bool {
    matches!(
        base_label(label),
        "c2pa.hash.data"
            | "c2pa.hash.boxes"
            | "c2pa.hash.bmff"
            | "c2pa.hash.bmff.v2"
            | "c2pa.hash.bmff.v3"
            | "c2pa.hash.collection.data"
            | "c2pa.hash.multi-asset"
    )
}

/// Parse a `self#jumbf=` URI relative to manifest `current`, resolving the manifest label
/// against the labels in the store (exact match; an ambiguous or unknown label resolves to
/// nothing).
pub fn resolve_uri(url: &str, current: &str, labels: &HashSet<&str>) -> Option<Target> {
    let path = url.strip_prefix("self#jumbf=")?;
    // absolute: `/c2pa/<manifest>/...` (some writers omit the leading slash: `c2pa/<manifest>/...`)
    let abs = path
        .strip_prefix("/c2pa/")
        .or_else(|| path.strip_prefix("c2pa/"));
    let (manifest, rest): (String, &str) = if let Some(abs) = abs {
        // the manifest label is the one known label that `abs` equals or continues with '/'
        let mut found: Option<(&str, &str)> = None;
        for l in labels {
            let tail = if abs == *l {
                Some("")
            } else {
                abs.strip_prefix(*l).and_then(|t| t.strip_prefix('/'))
            };
            if let Some(t) = tail {
                if found.is_some() {
                    return None; // ambiguous
                }
                found = Some((l, t));
            }
        }
        let (l, t) = found?;
        (l.to_string(), t)
    } else if path.starts_with('/') {
        return None;
    } else {
        (current.to_string(), path)
    };
    if rest.is_empty() {
        return Some(Target::Manifest(manifest));
    }
    if is_claim_label(rest) {
        return Some(Target::Claim(manifest));
    }
    if rest == "c2pa.signature" {
        return Some(Target::Signature(manifest));
    }
    let (store, label) = rest.split_once('/')?;
    if label.is_empty() || label.contains('/') {
        return None;
    }
    match store {
        "c2pa.assertions" => Some(Target::Assertion {
            manifest,
            label: label.to_string(),
        }),
        "c2pa.databoxes" => Some(Target::DataBox {
            manifest,
            label: label.to_string(),
        }),
        _ => None,
    }
}
