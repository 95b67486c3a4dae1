//! The exact JUMBF shape the own path requires of a manifest store.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use crate::read::jumbf::C2PA_STORE_UUID;

/// The C2PA JUMBF type UUIDs: four ASCII characters and the ISO suffix.
fn c2pa_type(tag: &[u8; 4]) -> [u8; 16] {
    let mut t = C2PA_STORE_UUID;
    t[..4].copy_from_slice(tag);
    t
}

/// Whether a manifest store is a JUMBF tree that leaves no room for a stricter parser (the
/// c2pa SDK's) to read it differently from provcheck: one `jumb` box spanning the whole store;
/// every box with an explicit 32-bit length of at least its header; the boxes of each superbox
/// tiling it exactly; every superbox starting with a description box (`jumd`: 16-byte type,
/// toggles with the requestable and label bits and otherwise only the private-box bit, a
/// NUL-terminated UTF-8 label followed by exactly one salt box (`c2sh`) when the private bit is
/// set, else by nothing); and the C2PA
/// layout (C2PA 2.x "Manifest store", ISO/IEC 19566-5): the store typed `c2pa` and labelled
/// `c2pa`, standard manifests (`c2ma`) holding only an assertion store (`c2as`), a claim
/// (`c2cl`) and a signature (`c2cs`), each typed as its label says, the claim and signature
/// holding one CBOR box. The bytes of these boxes outside the claim are neither signed nor
/// hashed, which is why their shape must be exact. A C2PA 1.x verifiable-credentials store
/// (`c2vc`) is allowed when every credential is what the SDK's loader accepts. provcheck's own
/// validation path declines any other store (the SDK then reads it).
pub fn strictly_formed(store: &[u8]) -> bool {
    /// A box: its type and payload.
    type Boxed<'a> = ([u8; 4], &'a [u8]);
    /// `(kind, body)` of each box of `data`, or `None` unless they tile it exactly.
    fn tiling(data: &[u8]) -> Option<Vec<Boxed<'_>>> {
        let mut out = Vec::new();
        let mut pos = 0usize;
        while pos < data.len() {
            let len = u32::from_be_bytes(data.get(pos..pos.checked_add(4)?)?.try_into().ok()?);
            let len = usize::try_from(len).ok()?;
            if len < 8 || out.len() >= 100_000 {
                return None;
            }
            let kind: [u8; 4] = data.get(pos + 4..pos + 8)?.try_into().ok()?;
            let end = pos.checked_add(len)?;
            out.push((kind, data.get(pos + 8..end)?));
            pos = end;
        }
        Some(out)
    }
    /// The type and label of a description box, if it is exact.
    fn description(d: &[u8]) -> Option<([u8; 16], &str)> {
        let kind: [u8; 16] = d.get(..16)?.try_into().ok()?;
        let toggles = *d.get(16)?;
        // requestable, label and private-box bits only (no ID, no signature field); the SDK's
        // `read_desc_box` refuses a box that is not both requestable and labelled
        if toggles & !0x13 != 0 || toggles & 0x03 != 0x03 {
            return None;
        }
        let rest = d.get(17..)?;
        let nul = rest.iter().position(|&b| b == 0)?;
        let label = std::str::from_utf8(rest.get(..nul)?).ok()?;
        if label.is_empty() || label.chars().any(char::is_control) {
            return None;
        }
        let rest = rest.get(nul + 1..)?;
        let private_ok = if toggles & 0x10 != 0 {
            // the private box: an assertion's salt (`c2sh`), the only kind the SDK reads
            matches!(tiling(rest).as_deref(), Some([(k, _)]) if k == b"c2sh")
        } else {
            rest.is_empty()
        };
        private_ok.then_some((kind, label))
    }
    /// A superbox's description and its other boxes.
    fn superbox(body: &[u8]) -> Option<([u8; 16], &str, Vec<Boxed<'_>>)> {
        let mut children = tiling(body)?;
        if children.is_empty() {
            return None;
        }
        let (kind, d) = children.remove(0);
        if &kind != b"jumd" {
            return None;
        }
        let (t, label) = description(d)?;
        Some((t, label, children))
    }
    /// A superbox holding exactly one CBOR box (claim, signature).
    fn one_cbor(children: &[Boxed<'_>]) -> bool {
        matches!(children, [(k, _)] if k == b"cbor")
    }
    /// An assertion superbox (hashed whole by the claim) whose content is what its type says:
    /// the SDK's loader picks the content by the description's type (its
    /// `get_assertion_from_jumbf_store`: CBOR, JSON, an embedded file, a UUID box) and takes
    /// its first data box (the first two for a file), failing the store when that box is of
    /// another kind and logging `assertion.json.invalid` for JSON that does not parse.
    fn assertion(body: &[u8]) -> bool {
        /// `CAI_EMBEDDED_FILE_UUID`
        const EMBEDDED_FILE: [u8; 16] = [
            0x40, 0xCB, 0x0C, 0x32, 0xBB, 0x8A, 0x48, 0x9D, 0xA7, 0x0B, 0x2A, 0xD6, 0xF4, 0x7F,
            0x43, 0x69,
        ];
        let Some((t, _, children)) = superbox(body) else {
            return false;
        };
        match children.as_slice() {
            [(k, _)] if t == c2pa_type(b"cbor") => k == b"cbor",
            [(k, json)] if t == c2pa_type(b"json") => {
                k == b"json" && serde_json::from_slice::<serde_json::Value>(json).is_ok()
            }
            [(k, _)] if t == c2pa_type(b"uuid") => k == b"uuid",
            [(k1, _), (k2, _)] if t == EMBEDDED_FILE => k1 == b"bfdb" && k2 == b"bidb",
            _ => false,
        }
    }
    fn credential(body: &[u8]) -> bool {
        let Some((_, _, children)) = superbox(body) else {
            return false;
        };
        let [(kind, json)] = children.as_slice() else {
            return false;
        };
        kind == b"json"
            && std::str::from_utf8(json)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
                .is_some_and(|v| {
                    v.get("credentialSubject")
                        .and_then(|c| c.get("id"))
                        .is_some_and(serde_json::Value::is_string)
                })
    }
    fn manifest(body: &[u8]) -> bool {
        let Some((kind, _, children)) = superbox(body) else {
            return false;
        };
        if kind != c2pa_type(b"c2ma") {
            return false;
        }
        // the SDK refuses a verifiable-credentials store beside a 2.x claim
        let labels: Vec<&str> = children
            .iter()
            .filter_map(|(_, b)| superbox(b).map(|(_, l, _)| l))
            .collect();
        if labels.contains(&"c2pa.claim.v2") && labels.contains(&"c2pa.credentials") {
            return false;
        }
        children.iter().all(|(k, b)| {
            if k != b"jumb" {
                return false;
            }
            let Some((t, label, inner)) = superbox(b) else {
                return false;
            };
            match label {
                "c2pa.assertions" => {
                    t == c2pa_type(b"c2as")
                        && inner.iter().all(|(k, b)| k == b"jumb" && assertion(b))
                }
                "c2pa.claim" | "c2pa.claim.v2" => t == c2pa_type(b"c2cl") && one_cbor(&inner),
                "c2pa.signature" => t == c2pa_type(b"c2cs") && one_cbor(&inner),
                // C2PA 1.x W3C verifiable credentials, as the SDK loads them: each a superbox
                // holding one JSON box whose `credentialSubject.id` is a string
                "c2pa.credentials" => {
                    t == c2pa_type(b"c2vc")
                        && inner.iter().all(|(k, b)| k == b"jumb" && credential(b))
                }
                _ => false,
            }
        })
    }
    let top = tiling(store);
    let Some([(kind, body)]) = top.as_deref() else {
        return false;
    };
    if kind != b"jumb" {
        return false;
    }
    let Some((t, label, manifests)) = superbox(body) else {
        return false;
    };
    t == C2PA_STORE_UUID
        && label == "c2pa"
        && !manifests.is_empty()
        && manifests.iter().all(|(k, b)| k == b"jumb" && manifest(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::container::bmff::boxed as bx;

    /// A superbox typed `tag`, its description's toggles, label and private box, and children.
    fn sup(
        tag: &[u8; 4],
        toggles: u8,
        label: &str,
        private: &[u8],
        children: &[Vec<u8>],
    ) -> Vec<u8> {
        let mut d = c2pa_type(tag).to_vec();
        d.push(toggles);
        d.extend(label.as_bytes());
        d.push(0);
        d.extend(private);
        let mut body = bx(b"jumd", &d);
        for c in children {
            body.extend(c);
        }
        bx(b"jumb", &body)
    }

    /// A store of one manifest whose assertion's description has `toggles` and `private`.
    fn store(toggles: u8, private: &[u8]) -> Vec<u8> {
        let assertion = sup(
            b"cbor",
            toggles,
            "c2pa.actions",
            private,
            &[bx(b"cbor", b"\xa0")],
        );
        let manifest = sup(
            b"c2ma",
            3,
            "urn:c2pa:1",
            &[],
            &[
                sup(b"c2as", 3, "c2pa.assertions", &[], &[assertion]),
                sup(b"c2cl", 3, "c2pa.claim.v2", &[], &[bx(b"cbor", b"\xa0")]),
                sup(b"c2cs", 3, "c2pa.signature", &[], &[bx(b"cbor", b"\xa0")]),
            ],
        );
        sup(b"c2pa", 3, "c2pa", &[], &[manifest])
    }

    #[test]
    fn descriptions_must_be_requestable_and_labelled() {
        assert!(strictly_formed(&store(0x03, &[])));
        // the SDK refuses a description without either bit (c2pa-rs C.jpg with 0x03 -> 0x02)
        assert!(!strictly_formed(&store(0x02, &[])));
        assert!(!strictly_formed(&store(0x01, &[])));
        // an ID or a signature field: not taken
        assert!(!strictly_formed(&store(0x07, &[])));
    }

    #[test]
    fn a_private_box_must_be_one_salt_box() {
        let salt = bx(b"c2sh", &[7; 16]);
        assert!(strictly_formed(&store(0x13, &salt)));
        assert!(!strictly_formed(&store(0x13, &bx(b"free", &[7; 16]))));
        assert!(!strictly_formed(&store(
            0x13,
            &[salt.clone(), salt].concat()
        )));
        assert!(!strictly_formed(&store(0x03, &bx(b"c2sh", &[7; 16]))));
    }
}
