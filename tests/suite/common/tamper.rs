//! Format-aware tampering: find the manifest store (JPEG APP11 "JP" segments, PNG caBX
//! chunk, RIFF/WebP C2PA chunk) and the image data by parsing the container.

/// Container of an image, from a MIME type or extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    Jpeg,
    Png,
    WebP,
}

impl Container {
    pub fn from_format(format: &str) -> Container {
        match super::mime(format) {
            "image/jpeg" => Container::Jpeg,
            "image/png" => Container::Png,
            "image/webp" => Container::WebP,
            other => panic!("tamper helpers: unsupported format {other:?}"),
        }
    }
}

/// Flip one byte of image data (JPEG entropy-coded scan / PNG IDAT / WebP VP8 payload),
/// outside the manifest. The container stays well-formed (PNG chunk CRC is recomputed);
/// c2pa reports `assertion.dataHash.mismatch`.
pub fn flip_image_byte(signed: &[u8], format: &str) -> Vec<u8> {
    let mut out = signed.to_vec();
    match Container::from_format(format) {
        Container::Jpeg => {
            let (start, end) = jpeg_layout(signed)
                .scans
                .first()
                .copied()
                .expect("JPEG has no scan data");
            // Pick a byte near the middle that is neither a marker prefix nor a stuffed
            // 0x00, and whose flipped value is not 0xFF.
            let mid = start + (end - start) / 2;
            let pos = (mid..end)
                .chain(start + 1..mid)
                .find(|&i| {
                    let b = signed[i];
                    b != 0xFF && b != 0xFE && signed[i - 1] != 0xFF && signed[i + 1] != 0xFF
                })
                .expect("no flippable scan byte");
            out[pos] ^= 0x01;
        }
        Container::Png => {
            let chunk = png_chunks(signed)
                .into_iter()
                .find(|c| &c.kind == b"IDAT")
                .expect("PNG has no IDAT");
            let pos = chunk.data_start + chunk.data_len / 2;
            out[pos] ^= 0x01;
            fix_png_crc(&mut out, &chunk);
        }
        Container::WebP => {
            let chunk = riff_chunks(signed)
                .into_iter()
                .find(|c| matches!(&c.kind, b"VP8 " | b"VP8L"))
                .expect("WebP has no VP8/VP8L chunk");
            // Stay clear of the VP8 frame header at the start of the chunk.
            let pos = chunk.data_start + chunk.data_len * 2 / 3;
            out[pos] ^= 0x01;
        }
    }
    out
}

/// Truncate the file in the middle of the manifest store.
pub fn cut_inside_manifest(signed: &[u8], format: &str) -> Vec<u8> {
    let map = manifest_map(signed, format);
    assert!(!map.is_empty(), "no manifest store found");
    signed[..map[map.len() / 2]].to_vec()
}

/// Overwrite the middle third of the active manifest's claim (the CBOR of its
/// `c2pa.claim.v2` / `c2pa.claim` box) with zero bytes, keeping the container well-formed
/// (segment/chunk sizes unchanged, PNG CRC recomputed): a corrupt manifest in an intact image.
pub fn garble_manifest(signed: &[u8], format: &str) -> Vec<u8> {
    let (jumbf, map) = manifest_store(signed, format);
    let (start, end) = jumbf_content(&jumbf, "c2pa.claim.v2", b"cbor")
        .pop()
        .or_else(|| jumbf_content(&jumbf, "c2pa.claim", b"cbor").pop())
        .expect("no claim box");
    let len = end - start;
    let mut out = signed.to_vec();
    for &i in &map[start + len / 3..start + len * 2 / 3] {
        out[i] = 0;
    }
    if Container::from_format(format) == Container::Png {
        for c in png_chunks(signed).iter().filter(|c| &c.kind == b"caBX") {
            fix_png_crc(&mut out, c);
        }
    }
    out
}

/// Remove the manifest store (JPEG APP11 segments / PNG caBX / WebP C2PA chunk), leaving a
/// valid plain image. c2pa then answers `Err(JumbfNotFound)`.
pub fn strip_manifest(signed: &[u8], format: &str) -> Vec<u8> {
    match Container::from_format(format) {
        Container::Jpeg => {
            let layout = jpeg_layout(signed);
            let mut out = Vec::with_capacity(signed.len());
            let mut last = 0;
            for (s, e) in layout.c2pa_segments {
                out.extend_from_slice(&signed[last..s]);
                last = e;
            }
            out.extend_from_slice(&signed[last..]);
            out
        }
        Container::Png => {
            let mut out = signed[..8].to_vec();
            for c in png_chunks(signed) {
                if &c.kind != b"caBX" {
                    out.extend_from_slice(&signed[c.start..c.end]);
                }
            }
            out
        }
        Container::WebP => {
            let mut body = b"WEBP".to_vec();
            for c in riff_chunks(signed) {
                if &c.kind != b"C2PA" {
                    body.extend_from_slice(&signed[c.start..c.end]);
                }
            }
            let mut out = b"RIFF".to_vec();
            out.extend((body.len() as u32).to_le_bytes());
            out.extend(body);
            out
        }
    }
}

/// Flip one byte inside the COSE signature bytes of the active manifest's
/// `c2pa.signature` box. c2pa reports `claimSignature.mismatch`.
pub fn corrupt_claim_signature(signed: &[u8], format: &str) -> Vec<u8> {
    let (jumbf, map) = manifest_store(signed, format);
    let (start, end) = jumbf_content(&jumbf, "c2pa.signature", b"cbor")
        .pop()
        .expect("no c2pa.signature box");
    let (sig_start, sig_len) =
        cose_signature_range(&jumbf[start..end]).expect("c2pa.signature is not a COSE_Sign1");
    let mut out = signed.to_vec();
    out[map[start + sig_start + sig_len / 2]] ^= 0x01;
    out
}

/// The manifest store (reassembled JUMBF) and, for each of its bytes, its offset in the file.
pub fn manifest_store(signed: &[u8], format: &str) -> (Vec<u8>, Vec<usize>) {
    let map = manifest_map(signed, format);
    (map.iter().map(|&i| signed[i]).collect(), map)
}

/// Byte ranges (in the reassembled JUMBF) of the content boxes of type `box_type` inside
/// every superbox labelled `label`, in order (the active manifest's comes last).
pub fn jumbf_content(jumbf: &[u8], label: &str, box_type: &[u8; 4]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    walk_jumbf(jumbf, 0, jumbf.len(), None, label, box_type, &mut out);
    out
}

fn manifest_map(signed: &[u8], format: &str) -> Vec<usize> {
    match Container::from_format(format) {
        Container::Jpeg => {
            let layout = jpeg_layout(signed);
            let mut map = Vec::new();
            for (i, (s, e)) in layout.c2pa_segments.iter().enumerate() {
                // contents = CI(2) En(2) Z(4) [LBox TBox repeated on continuations] JUMBF...
                let skip = if i == 0 { 8 } else { 16 };
                map.extend(s + 4 + skip..*e);
            }
            map
        }
        Container::Png => png_chunks(signed)
            .into_iter()
            .filter(|c| &c.kind == b"caBX")
            .flat_map(|c| c.data_start..c.data_start + c.data_len)
            .collect(),
        Container::WebP => riff_chunks(signed)
            .into_iter()
            .filter(|c| &c.kind == b"C2PA")
            .flat_map(|c| c.data_start..c.data_start + c.data_len)
            .collect(),
    }
}

// ---------------------------------------------------------------- JPEG

#[derive(Debug, Default)]
struct JpegLayout {
    /// (start, end) of each C2PA APP11 segment, marker included.
    c2pa_segments: Vec<(usize, usize)>,
    /// (start, end) of each entropy-coded scan.
    scans: Vec<(usize, usize)>,
}

fn jpeg_layout(d: &[u8]) -> JpegLayout {
    assert!(d.len() > 4 && d[0] == 0xFF && d[1] == 0xD8, "not a JPEG");
    let mut layout = JpegLayout::default();
    let mut c2pa_en: Option<[u8; 2]> = None;
    let mut pos = 2;
    while pos + 4 <= d.len() {
        assert_eq!(d[pos], 0xFF, "JPEG marker expected at {pos}");
        let marker = d[pos + 1];
        if marker == 0xFF {
            pos += 1; // fill byte
            continue;
        }
        if marker == 0xD9 {
            break; // EOI
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            pos += 2;
            continue;
        }
        let seg_len = u16::from_be_bytes([d[pos + 2], d[pos + 3]]) as usize;
        let end = pos + 2 + seg_len;
        if marker == 0xEB && seg_len >= 2 + 8 && &d[pos + 4..pos + 6] == b"JP" {
            let en = [d[pos + 6], d[pos + 7]];
            let contents = &d[pos + 4..end];
            let is_first = contents.len() > 28 && &contents[24..28] == b"c2pa";
            if is_first && c2pa_en.is_none() {
                c2pa_en = Some(en);
                layout.c2pa_segments.push((pos, end));
            } else if c2pa_en == Some(en) {
                layout.c2pa_segments.push((pos, end));
            }
        }
        pos = end;
        if marker == 0xDA {
            // entropy-coded data runs to the next marker that is not RSTn or a stuffed 0x00
            let start = pos;
            while pos + 1 < d.len() {
                if d[pos] == 0xFF && d[pos + 1] != 0x00 && !(0xD0..=0xD7).contains(&d[pos + 1]) {
                    break;
                }
                pos += 1;
            }
            layout.scans.push((start, pos));
        }
    }
    layout
}

// ---------------------------------------------------------------- PNG

#[derive(Clone, Debug)]
struct Chunk {
    kind: [u8; 4],
    /// start of the whole chunk (length field / fourcc)
    start: usize,
    data_start: usize,
    data_len: usize,
    /// end of the whole chunk (after CRC / padding)
    end: usize,
}

fn png_chunks(d: &[u8]) -> Vec<Chunk> {
    assert!(d.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let mut out = Vec::new();
    let mut pos = 8;
    while pos + 12 <= d.len() {
        let len = u32::from_be_bytes(d[pos..pos + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = d[pos + 4..pos + 8].try_into().unwrap();
        let end = pos + 12 + len;
        out.push(Chunk {
            kind,
            start: pos,
            data_start: pos + 8,
            data_len: len,
            end: end.min(d.len()),
        });
        pos = end;
    }
    out
}

fn fix_png_crc(d: &mut [u8], c: &Chunk) {
    let crc = crc32(&d[c.start + 4..c.data_start + c.data_len]);
    let at = c.data_start + c.data_len;
    d[at..at + 4].copy_from_slice(&crc.to_be_bytes());
}

/// The PNG chunk CRC (CRC-32/ISO-HDLC, the one zlib computes).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum()
}

/// Recompute every PNG chunk CRC, as a careful forger would after editing chunk data.
pub fn fix_png_crcs(d: &mut [u8]) {
    for c in png_chunks(d) {
        if c.data_start + c.data_len + 4 <= d.len() {
            fix_png_crc(d, &c);
        }
    }
}

// ---------------------------------------------------------------- RIFF / WebP

fn riff_chunks(d: &[u8]) -> Vec<Chunk> {
    assert!(
        d.len() >= 12 && &d[..4] == b"RIFF" && &d[8..12] == b"WEBP",
        "not a WebP"
    );
    let mut out = Vec::new();
    let mut pos = 12;
    while pos + 8 <= d.len() {
        let kind: [u8; 4] = d[pos..pos + 4].try_into().unwrap();
        let len = u32::from_le_bytes(d[pos + 4..pos + 8].try_into().unwrap()) as usize;
        let end = pos + 8 + len + (len & 1);
        out.push(Chunk {
            kind,
            start: pos,
            data_start: pos + 8,
            data_len: len,
            end: end.min(d.len()),
        });
        pos = end;
    }
    out
}

// ---------------------------------------------------------------- JUMBF / CBOR

/// Walk the boxes in `d[start..end]`; collect content boxes of `box_type` whose enclosing
/// superbox is labelled `want`.
fn walk_jumbf(
    d: &[u8],
    start: usize,
    end: usize,
    label: Option<&str>,
    want: &str,
    box_type: &[u8; 4],
    out: &mut Vec<(usize, usize)>,
) {
    let mut pos = start;
    while pos + 8 <= end {
        let lbox = u32::from_be_bytes(d[pos..pos + 4].try_into().unwrap()) as usize;
        let tbox: [u8; 4] = d[pos + 4..pos + 8].try_into().unwrap();
        let (header, size) = match lbox {
            0 => (8, end - pos),
            1 => (
                16,
                u64::from_be_bytes(d[pos + 8..pos + 16].try_into().unwrap()) as usize,
            ),
            n => (8, n),
        };
        let box_end = (pos + size).min(end);
        if size < header {
            return;
        }
        let body = pos + header;
        if &tbox == b"jumb" {
            let child_label = jumd_label(d, body, box_end);
            walk_jumbf(
                d,
                body,
                box_end,
                child_label.as_deref(),
                want,
                box_type,
                out,
            );
        } else if &tbox == box_type && label == Some(want) {
            out.push((body, box_end));
        }
        pos = box_end;
    }
}

/// (payload start, end) in the reassembled JUMBF of every superbox labelled `label`, in order.
fn superbox_payloads(
    d: &[u8],
    start: usize,
    end: usize,
    want: &str,
    out: &mut Vec<(usize, usize)>,
) {
    let mut pos = start;
    while pos + 8 <= end {
        let size = u32::from_be_bytes(d[pos..pos + 4].try_into().unwrap()) as usize;
        if size < 8 {
            return;
        }
        let box_end = (pos + size).min(end);
        if &d[pos + 4..pos + 8] == b"jumb" {
            if jumd_label(d, pos + 8, box_end).as_deref() == Some(want) {
                out.push((pos + 8, box_end));
            }
            superbox_payloads(d, pos + 8, box_end, want, out);
        }
        pos = box_end;
    }
}

/// A signed file whose active manifest's assertion `label` was changed by `edit` (in place: the
/// superbox's payload, its description box and content, keeping its length) and then signed
/// again, as a signer with `leaf`'s key would sign that content: the claim's hashed URI of the
/// assertion updated, the claim's COSE_Sign1 signature (ES256: `leaf` must be a P-256 key; no
/// time-stamp) made anew. For content c2pa's Builder refuses to write (a field of the wrong
/// type, a box of another kind), which a forger's own tool writes.
pub fn edit_assertion_and_resign(
    signed: &[u8],
    format: &str,
    label: &str,
    edit: impl FnOnce(&mut [u8]),
    leaf: &super::CertKey,
) -> Vec<u8> {
    use ring::digest::{digest, SHA256};
    let (mut jumbf, map) = manifest_store(signed, format);
    let mut boxes = Vec::new();
    superbox_payloads(&jumbf, 0, jumbf.len(), label, &mut boxes);
    let (payload_start, payload_end) = *boxes.last().expect("no such assertion");
    let old_hash = digest(&SHA256, &jumbf[payload_start..payload_end]);
    edit(&mut jumbf[payload_start..payload_end]);
    let new_hash = digest(&SHA256, &jumbf[payload_start..payload_end]);
    let (claim_start, claim_end) = active_claim_range(&jumbf);
    // the active claim lists the assertion by its hash, once
    let at: Vec<usize> = jumbf[claim_start..claim_end]
        .windows(32)
        .enumerate()
        .filter(|(_, w)| *w == old_hash.as_ref())
        .map(|(i, _)| claim_start + i)
        .collect();
    assert_eq!(
        at.len(),
        1,
        "the claim lists the assertion's hash {} times",
        at.len()
    );
    jumbf[at[0]..at[0] + 32].copy_from_slice(new_hash.as_ref());
    resign_active_claim(&mut jumbf, (claim_start, claim_end), leaf);
    write_back(signed, &jumbf, &map)
}

/// A signed file whose active claim's CBOR was changed by `edit` (in place, keeping its
/// length) and then signed again with `leaf`'s key (ES256, as [`edit_assertion_and_resign`]):
/// claim content a forger's own tool signs (a field of another type, a hashed URI with another
/// algorithm, a broken CBOR item), every hash it does not touch still matching.
pub fn edit_claim_and_resign(
    signed: &[u8],
    format: &str,
    edit: impl FnOnce(&mut [u8]),
    leaf: &super::CertKey,
) -> Vec<u8> {
    let (mut jumbf, map) = manifest_store(signed, format);
    let claim = active_claim_range(&jumbf);
    edit(&mut jumbf[claim.0..claim.1]);
    resign_active_claim(&mut jumbf, claim, leaf);
    write_back(signed, &jumbf, &map)
}

/// The active (last) claim's CBOR content in the reassembled JUMBF.
fn active_claim_range(jumbf: &[u8]) -> (usize, usize) {
    let claim_label = ["c2pa.claim.v2", "c2pa.claim"]
        .into_iter()
        .find(|l| !jumbf_content(jumbf, l, b"cbor").is_empty())
        .expect("no claim");
    jumbf_content(jumbf, claim_label, b"cbor").pop().unwrap()
}

/// Sign the claim at `claim` again into the active manifest's COSE_Sign1 (ES256 with `leaf`'s
/// P-256 key; the signature keeps its length, so no box changes size).
fn resign_active_claim(jumbf: &mut [u8], claim: (usize, usize), leaf: &super::CertKey) {
    let (sig_start, sig_end) = jumbf_content(jumbf, "c2pa.signature", b"cbor")
        .pop()
        .unwrap();
    let sign1 = {
        use coset::TaggedCborSerializable;
        coset::CoseSign1::from_tagged_slice(&jumbf[sig_start..sig_end])
            .expect("the signature is a tagged COSE_Sign1")
    };
    let tbs = sign1.tbs_detached_data(&jumbf[claim.0..claim.1], b"");
    let key = rcgen::KeyPair::from_pem(&leaf.key_pem).expect("leaf key");
    let pair = ring::signature::EcdsaKeyPair::from_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &key.serialize_der(),
        &ring::rand::SystemRandom::new(),
    )
    .expect("a P-256 leaf key");
    let sig = pair
        .sign(&ring::rand::SystemRandom::new(), &tbs)
        .expect("ES256 signature");
    let (off, len) = cose_signature_range(&jumbf[sig_start..sig_end]).unwrap();
    assert_eq!(len, sig.as_ref().len(), "an ES256 signature");
    jumbf[sig_start + off..sig_start + off + len].copy_from_slice(sig.as_ref());
}

/// `signed` with its manifest store's bytes replaced by `jumbf` (same length; `map` from
/// [`manifest_store`]).
fn write_back(signed: &[u8], jumbf: &[u8], map: &[usize]) -> Vec<u8> {
    let mut out = signed.to_vec();
    for (i, &b) in jumbf.iter().enumerate() {
        out[map[i]] = b;
    }
    out
}

/// Label of the `jumd` description box that opens a superbox body.
fn jumd_label(d: &[u8], body: usize, end: usize) -> Option<String> {
    if body + 8 > end || &d[body + 4..body + 8] != b"jumd" {
        return None;
    }
    let toggles = *d.get(body + 8 + 16)?;
    if toggles & 0x02 == 0 {
        return None;
    }
    let s = body + 8 + 17;
    let n = d[s..end].iter().position(|&b| b == 0)?;
    Some(String::from_utf8_lossy(&d[s..s + n]).into_owned())
}

/// (offset, length) of the signature byte string of a (tagged) COSE_Sign1.
pub fn cose_signature_range(cose: &[u8]) -> Option<(usize, usize)> {
    let mut pos = 0;
    // optional tag 18
    if cose.first() == Some(&0xD2) {
        pos = 1;
    }
    if *cose.get(pos)? != 0x84 {
        return None;
    }
    pos += 1;
    for _ in 0..3 {
        pos = cbor_skip(cose, pos)?; // protected, unprotected, payload
    }
    let (major, arg, hdr) = cbor_head(cose, pos)?;
    if major != 2 {
        return None;
    }
    Some((pos + hdr, arg as usize))
}

/// (major type, argument, header length) of the CBOR item at `pos`.
fn cbor_head(d: &[u8], pos: usize) -> Option<(u8, u64, usize)> {
    let ib = *d.get(pos)?;
    let major = ib >> 5;
    let ai = ib & 0x1F;
    let (arg, hdr) = match ai {
        0..=23 => (u64::from(ai), 1),
        24 => (u64::from(*d.get(pos + 1)?), 2),
        25 => (
            u64::from(u16::from_be_bytes(
                d.get(pos + 1..pos + 3)?.try_into().ok()?,
            )),
            3,
        ),
        26 => (
            u64::from(u32::from_be_bytes(
                d.get(pos + 1..pos + 5)?.try_into().ok()?,
            )),
            5,
        ),
        27 => (
            u64::from_be_bytes(d.get(pos + 1..pos + 9)?.try_into().ok()?),
            9,
        ),
        31 => (u64::MAX, 1), // indefinite length
        _ => return None,
    };
    Some((major, arg, hdr))
}

/// Position just after the CBOR item at `pos`.
fn cbor_skip(d: &[u8], pos: usize) -> Option<usize> {
    let (major, arg, hdr) = cbor_head(d, pos)?;
    let mut p = pos + hdr;
    let indefinite = arg == u64::MAX && d[pos] & 0x1F == 31;
    match major {
        0 | 1 => Some(p),
        2 | 3 if !indefinite => Some(p + arg as usize),
        4 | 5 if !indefinite => {
            let n = if major == 5 { arg * 2 } else { arg };
            for _ in 0..n {
                p = cbor_skip(d, p)?;
            }
            Some(p)
        }
        2..=5 => {
            while *d.get(p)? != 0xFF {
                p = cbor_skip(d, p)?;
            }
            Some(p + 1)
        }
        6 => cbor_skip(d, p),
        7 => Some(p),
        _ => None,
    }
}

/// The byte range of the first RFC 3161 token of a signed file's time-stamp header
/// (`tstTokens[0].val`, a CBOR byte string): where to break a time-stamp.
pub fn time_stamp_token_range(d: &[u8]) -> std::ops::Range<usize> {
    let key = d
        .windows(9)
        .position(|w| w == b"tstTokens")
        .expect("a time-stamp header");
    let val = key + d[key..].windows(4).position(|w| w == b"cval").unwrap() + 4;
    let (len, head) = match d[val] {
        0x59 => (usize::from(u16::from_be_bytes([d[val + 1], d[val + 2]])), 3),
        0x5a => (
            u32::from_be_bytes(d[val + 1..val + 5].try_into().unwrap()) as usize,
            5,
        ),
        h => panic!("token header {h:#x}"),
    };
    val + head..val + head + len
}

/// The JUMBF boxes of `store` that enclose offset `at`, outermost first (their offsets).
fn boxes_enclosing(store: &[u8], at: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut q, mut end) = (0, store.len());
    while q + 8 <= end {
        let len = u32::from_be_bytes(store[q..q + 4].try_into().unwrap()) as usize;
        assert!(len >= 8, "a box length");
        if (q..q + len).contains(&at) {
            out.push(q);
            if &store[q + 4..q + 8] != b"jumb" {
                break;
            }
            (q, end) = (q + 8, q + len);
        } else {
            q += len;
        }
    }
    out
}

/// A manifest store with its active signature's COSE `pad` cut by `k` bytes and every JUMBF box
/// around it shortened to match (the shrink of tests/suite/attacks.rs's shrink and inject: the pad is
/// an unprotected header, so the signature still verifies).
pub fn shrink_store(store: &[u8], k: usize) -> Vec<u8> {
    // `pad` (text, 3 bytes) and a byte string with a one- or two-byte length (CBOR 0x58, 0x59),
    // which keeps its header size when cut within its class
    let pad = store
        .windows(5)
        .rposition(|w| &w[..4] == b"\x63pad" && matches!(w[4], 0x58 | 0x59))
        .expect("a COSE pad");
    let wide = store[pad + 4] == 0x59;
    let (n, head) = if wide {
        (
            u16::from_be_bytes([store[pad + 5], store[pad + 6]]) as usize,
            7,
        )
    } else {
        (store[pad + 5] as usize, 6)
    };
    let min = if wide { 256 } else { 24 };
    assert!(n >= k + min, "a pad of {n} bytes cannot lose {k}");
    let mut out = store.to_vec();
    for q in boxes_enclosing(store, pad) {
        let l = u32::from_be_bytes(store[q..q + 4].try_into().unwrap()) as usize;
        out[q..q + 4].copy_from_slice(&((l - k) as u32).to_be_bytes());
    }
    if wide {
        out[pad + 5..pad + 7].copy_from_slice(&((n - k) as u16).to_be_bytes());
    } else {
        out[pad + 5] = (n - k) as u8;
    }
    out.drain(pad + head..pad + head + k);
    out
}
