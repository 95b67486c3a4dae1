//! JUMBF URIs written exactly as the c2pa SDK writes them in its statuses (its
//! `jumbf::labels` functions), so that provcheck's own path reports the same URLs.

/// The SDK's `to_normalized_uri`: the part after `=`, with a leading `/` before `c2pa/`.
pub(super) fn normalized(uri: &str) -> String {
    let parts: Vec<&str> = uri.split('=').collect();
    let out = if parts.len() == 1 {
        parts.first().copied().unwrap_or_default()
    } else {
        parts.get(1).copied().unwrap_or_default()
    };
    if out.starts_with("c2pa/") {
        format!("/{out}")
    } else {
        out.to_string()
    }
}

/// The SDK's `manifest_label_from_uri`.
pub(super) fn manifest_of_uri(uri: &str) -> Option<String> {
    let n = normalized(uri);
    let parts: Vec<&str> = n.split('/').collect();
    if parts.len() > 2 && parts.get(1) == Some(&"c2pa") {
        parts.get(2).map(|s| s.to_string())
    } else {
        None
    }
}

pub(super) fn manifest_uri(label: &str) -> String {
    format!("self#jumbf=/c2pa/{label}")
}

pub(super) fn assertion_uri(label: &str, assertion: &str) -> String {
    format!("{}/c2pa.assertions/{assertion}", manifest_uri(label))
}

pub(super) fn signature_uri(label: &str) -> String {
    format!("{}/c2pa.signature", manifest_uri(label))
}

/// The SDK's `to_absolute_uri`.
pub(super) fn absolute(label: &str, uri: &str) -> String {
    let n = normalized(uri);
    let parts: Vec<&str> = n.split('/').collect();
    if parts.len() > 2 && parts.get(1) == Some(&"c2pa") {
        uri.to_string()
    } else {
        format!("{}/{n}", manifest_uri(label))
    }
}
