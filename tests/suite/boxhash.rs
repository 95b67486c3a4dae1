//! Box-hash files (`c2pa.hash.boxes`: Microsoft's Bing Image Creator and Designer, and c2pa's
//! Builder when it compresses the manifest) on provcheck's own validation path: an intact file
//! is judged by the own path with the SDK's report (`assertion.boxesHash.match`); a file with a
//! byte changed inside a hashed box, a box inserted or a box removed is never judged clean by
//! the own path, and gets the SDK's verdict (`tampered`, `assertion.boxesHash.mismatch`) and
//! report, field for field.

use crate::common;
use crate::own_path;

use own_path::{comparable, verifier};

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use common::*;
use provcheck::{Report, Verdict};
use serde_json::Value;

const MATCH: &str = "assertion.boxesHash.match";
const MISMATCH: &str = "assertion.boxesHash.mismatch";

fn codes(list: &[provcheck::Status]) -> Vec<&str> {
    list.iter().map(|s| s.code.as_str()).collect()
}

/// Both paths' reports of `data`, asserted equal apart from `validated_by`.
fn judge(data: &[u8], name: &str, at: DateTime<Utc>) -> Report {
    let own = verifier(true, at).verify_bytes(data, Some(name));
    let sdk = verifier(false, at).verify_bytes(data, Some(name));
    assert_ne!(sdk.validated_by.as_deref(), Some("provcheck"));
    assert_eq!(
        comparable(&own),
        comparable(&sdk),
        "{name}: the own path's report differs from the SDK's"
    );
    own
}

fn assert_own_clean(r: &Report, name: &str) {
    assert_eq!(r.validated_by.as_deref(), Some("provcheck"), "{name}");
    assert!(
        codes(&r.validation.success).contains(&MATCH),
        "{name}: {:?}",
        codes(&r.validation.success)
    );
    assert!(r.validation.failure.is_empty(), "{name}");
}

/// Tampered with the SDK's box-hash mismatch: `judge` has already required the SDK's report,
/// whichever path judged (the own path reports a plain box-hash mismatch itself and declines
/// every other change).
fn assert_tampered_with_the_sdks_report(r: &Report, name: &str) {
    assert_eq!(r.verdict, Verdict::Tampered, "{name}");
    assert!(
        codes(&r.validation.failure).contains(&MISMATCH),
        "{name}: {:?}",
        codes(&r.validation.failure)
    );
    assert!(!codes(&r.validation.success).contains(&MATCH), "{name}");
}

/// JPEG marker segments: (marker, start, end), the scan with its entropy-coded data.
fn jpeg_segments(d: &[u8]) -> Vec<(u8, usize, usize)> {
    let mut out = vec![(0xd8, 0, 2)];
    let mut pos = 2;
    while pos + 1 < d.len() {
        assert_eq!(d[pos], 0xff, "plain JPEG layout at {pos}");
        let m = d[pos + 1];
        if m == 0xd9 {
            out.push((m, pos, pos + 2));
            break;
        }
        let mut end = pos + 2 + u16::from_be_bytes([d[pos + 2], d[pos + 3]]) as usize;
        if m == 0xda {
            while !(d[end] == 0xff && d[end + 1] != 0) {
                end += 1;
            }
        }
        out.push((m, pos, end));
        pos = end;
    }
    out
}

fn segment(d: &[u8], marker: u8) -> (usize, usize) {
    let (_, s, e) = *jpeg_segments(d)
        .iter()
        .find(|s| s.0 == marker)
        .unwrap_or_else(|| panic!("no marker {marker:#x}"));
    (s, e)
}

/// A byte of `d[range]` changed so that no marker appears (no 0xFF made or unmade).
fn flip_inside(d: &[u8], range: (usize, usize)) -> Vec<u8> {
    let mut t = d.to_vec();
    let at = (range.0 + (range.1 - range.0) / 2..range.1)
        .find(|&i| t[i] < 0xfe && (i == 0 || t[i - 1] != 0xff))
        .expect("a byte to change");
    t[at] ^= 0x01;
    t
}

/// Tampered variants of a box-hash JPEG: (what, bytes).
fn jpeg_tampers(d: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let (sos, eoi) = (segment(d, 0xda), segment(d, 0xd9));
    let app0 = segment(d, 0xe0);
    let dqt = segment(d, 0xdb);
    let mut out = vec![
        (
            "a byte of the scan data",
            flip_inside(d, (sos.0 + 20, sos.1)),
        ),
        (
            "a byte of a quantisation table",
            flip_inside(d, (dqt.0 + 5, dqt.1)),
        ),
    ];
    let mut t = d.to_vec();
    let com = [0xff, 0xfe, 0x00, 0x07, b'e', b'v', b'i', b'l', b'!'];
    t.splice(app0.1..app0.1, com);
    out.push(("a comment segment inserted", t));
    let mut t = d.to_vec();
    t.splice(dqt.0..dqt.1, []);
    out.push(("a quantisation table removed", t));
    let mut t = d.to_vec();
    t.splice(eoi.0..eoi.0, com);
    out.push(("a comment segment inserted before EOI", t));
    out
}

fn sample() -> (PathBuf, Vec<u8>) {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/bing_creator_cloud_surfing_puppy.jpg");
    let d = std::fs::read(&p).unwrap();
    (p, d)
}

/// The date the corpus and the sample are judged at in the differential test.
fn corpus_time() -> DateTime<Utc> {
    "2026-11-01T00:00:00Z".parse().unwrap()
}

#[test]
fn bing_sample_is_judged_by_the_own_path() {
    let (_, d) = sample();
    let r = judge(&d, "bing.jpg", corpus_time());
    assert_own_clean(&r, "bing.jpg");
    assert_eq!(r.verdict, Verdict::Authentic);
}

#[test]
fn tampered_bing_sample_gets_the_sdk_failure() {
    let (_, d) = sample();
    for (what, t) in jpeg_tampers(&d) {
        let r = judge(&t, "bing.jpg", corpus_time());
        assert_tampered_with_the_sdks_report(&r, what);
    }
}

/// Bytes after EOI belong to no box: the own path leaves such a file to the SDK (whose walk
/// does not ask that every box be named, so it still finds the boxes matching), and the report
/// says which bytes nothing protects.
#[test]
fn data_after_eoi_is_left_to_the_sdk() {
    let (_, mut d) = sample();
    d.extend_from_slice(b"\xff\xfe\x00\x05abc trailing");
    let r = judge(&d, "bing.jpg", corpus_time());
    assert_eq!(r.validated_by.as_deref(), Some("c2pa"));
    assert!(
        r.codes().any(|c| c == "provcheck.binding.unprotectedBytes"),
        "{:?}",
        r.codes().collect::<Vec<_>>()
    );
}

/// PNG chunks: (type, start, end).
fn png_chunks(d: &[u8]) -> Vec<([u8; 4], usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 8;
    while pos < d.len() {
        let len = u32::from_be_bytes(d[pos..pos + 4].try_into().unwrap()) as usize;
        out.push((d[pos + 4..pos + 8].try_into().unwrap(), pos, pos + 12 + len));
        pos += 12 + len;
    }
    out
}

fn png_tampers(d: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let chunks = png_chunks(d);
    let idat: Vec<_> = chunks.iter().filter(|c| &c.0 == b"IDAT").collect();
    let iend = chunks.iter().find(|c| &c.0 == b"IEND").unwrap();
    let mut out = Vec::new();
    let mut t = d.to_vec();
    let at = idat[0].1 + 8 + (idat[0].2 - idat[0].1 - 12) / 2;
    t[at] ^= 0x01;
    out.push(("a byte of the image data", t));
    let mut text = 9u32.to_be_bytes().to_vec();
    text.extend(b"tEXtComment\0x");
    text.extend(crc(&text[4..]).to_be_bytes());
    let mut t = d.to_vec();
    t.splice(iend.1..iend.1, text.iter().copied());
    out.push(("a text chunk inserted before IEND", t));
    let mut t = d.to_vec();
    let last = idat.last().unwrap();
    t.splice(last.1..last.2, []);
    out.push(("the last image data chunk removed", t));
    out
}

/// CRC-32 of a PNG chunk (type and data), so inserted chunks are well formed.
fn crc(bytes: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    c ^ 0xffff_ffff
}

#[test]
fn microsoft_corpus_files_and_their_tampered_copies() {
    let Some(dir) = corpus("microsoft_corpus_files_and_their_tampered_copies") else {
        return;
    };
    let dir = dir.join("generators/microsoft");
    for (file, is_png) in [
        ("demopod_image.png", true),
        ("dummy_avatar_image.png", false),
    ] {
        let d = std::fs::read(dir.join(file)).unwrap();
        let r = judge(&d, file, corpus_time());
        assert_own_clean(&r, file);
        let tampers = if is_png {
            png_tampers(&d)
        } else {
            jpeg_tampers(&d)
        };
        for (what, t) in tampers {
            let r = judge(&t, file, corpus_time());
            assert_tampered_with_the_sdks_report(&r, &format!("{file}: {what}"));
        }
    }
}

/// A fresh box-hash file signed with a v1 claim and a local time-stamp (the shape the own path
/// covers), by a throw-away signer.
fn fresh(asset: &[u8], format: &str, now: DateTime<Utc>) -> Vec<u8> {
    let root = make_ca(
        &[
            ("C", "US"),
            ("O", "Example Test PKI"),
            ("CN", "Box Hash Root"),
        ],
        None,
        KeyAlg::P256,
    );
    let leaf = make_leaf(
        &[("O", "Example Org"), ("CN", "Example Signer")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let tsa = make_tsa_leaf(
        &[("O", "Example TSA"), ("CN", "Example TSA")],
        &root,
        KeyAlg::P256,
    );
    let mut def: Value = serde_json::from_str(&manifest_json(
        "box-hash",
        "provcheck-integration-test",
        Some("Example Drawing App"),
        Some(DST_DIGITAL_CREATION),
    ))
    .unwrap();
    def["claim_version"] = 1.into();
    let opts = SignOpts {
        box_hash: true,
        tsa: Some((vec![tsa, root.clone()], now - Duration::hours(1))),
        ..SignOpts::default()
    };
    sign_with_opts(asset, format, &def.to_string(), &[&leaf, &root], &opts).expect("sign")
}

#[test]
fn freshly_signed_box_hash_jpeg_and_png() {
    let now = Utc::now().trunc_subsecs(0);
    for (format, asset) in [("jpg", plain_jpeg()), ("png", plain_png())] {
        let d = fresh(&asset, format, now);
        let name = format!("fresh.{format}");
        let r = judge(&d, &name, now);
        assert_own_clean(&r, &name);
        let tampers = if format == "png" {
            png_tampers(&d)
        } else {
            jpeg_tampers(&d)
        };
        for (what, t) in tampers {
            let r = judge(&t, &name, now);
            assert_tampered_with_the_sdks_report(&r, &format!("{name}: {what}"));
        }
    }
}

/// Every byte of the structure the box map is read from (each JPEG marker and length, the
/// APP11 headers of the store; each PNG chunk's length and type), changed three ways: the
/// report must be the SDK's, and no change to a hashed byte may leave the file clean on the
/// own path.
#[test]
fn structural_mutants_get_the_sdk_report() {
    let now = Utc::now().trunc_subsecs(0);
    let (_, bing) = sample();
    let png = fresh(&plain_png(), "png", now);
    let mut own_clean = 0;
    for (name, d, at, spots) in [
        ("bing.jpg", &bing, corpus_time(), {
            let mut v: Vec<usize> = Vec::new();
            for (m, s, _) in jpeg_segments(&bing) {
                v.extend(s..s + if m == 0xd8 || m == 0xd9 { 2 } else { 4 });
                if m == 0xeb {
                    v.extend(s + 4..s + 4 + 40);
                }
            }
            v
        }),
        ("fresh.png", &png, now, {
            let mut v: Vec<usize> = (0..8).collect();
            for (_, s, _) in png_chunks(&png) {
                v.extend(s..s + 8);
            }
            v
        }),
    ] {
        for &i in &spots {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut t = d.clone();
                t[i] ^= flip;
                let r = judge(&t, name, at);
                if r.validated_by.as_deref() == Some("provcheck")
                    && !r.validation.failure.is_empty()
                {
                    // a plain box-hash mismatch, reported by the own path with the SDK's report
                    assert_eq!(
                        codes(&r.validation.failure),
                        [MISMATCH],
                        "{name} byte {i} ^ {flip:#x}"
                    );
                } else if r.validated_by.as_deref() == Some("provcheck") {
                    own_clean += 1;
                    // only bytes no hash covers: the store's own APP11 / chunk header
                    let store = if name == "fresh.png" {
                        let c = png_chunks(d).into_iter().find(|c| &c.0 == b"caBX").unwrap();
                        (c.1, c.2)
                    } else {
                        segment(d, 0xeb)
                    };
                    assert!(
                        (store.0..store.1).contains(&i) && r.validation.failure.is_empty(),
                        "{name} byte {i} ^ {flip:#x} outside the store, still clean"
                    );
                }
            }
        }
    }
    eprintln!("{own_clean} structural mutants still judged by the own path");
}
