//! provcheck's own validation path on WebP (RIFF) files with a data hash (issue 14): files
//! signed at run time with throw-away keys by the c2pa SDK's `Builder`, then tampered with at
//! the RIFF level. The own path must judge the intact ones itself with the SDK's report, and
//! must never judge a tampered one clean: either it reports the SDK's data-hash mismatch itself
//! (the one failure it reports) or it declines and the SDK's report stands. A WAV, which the
//! same RIFF locator reads (for the coverage map and the exclusion check; the SDK judges it),
//! is signed and shrunk-and-injected at the end.

use crate::common;
use crate::own_path;

use std::time::{Duration, Instant};

use common::*;
use provcheck::{Report, Verdict};

/// The top-level chunks of a RIFF file as (start, end with the pad byte, id).
fn chunks(d: &[u8]) -> Vec<(usize, usize, [u8; 4])> {
    let mut out = Vec::new();
    let mut at = 12;
    while at + 8 <= d.len() {
        let id: [u8; 4] = d[at..at + 4].try_into().unwrap();
        let len = u32::from_le_bytes(d[at + 4..at + 8].try_into().unwrap()) as usize;
        let end = (at + 8 + len + (len & 1)).min(d.len());
        out.push((at, end, id));
        at = end;
    }
    out
}

/// The RIFF header's size set to the file's length minus 8.
fn fix_riff_size(d: &mut [u8]) {
    let size = (d.len() - 8) as u32;
    d[4..8].copy_from_slice(&size.to_le_bytes());
}

/// A chunk (id, data) with its pad byte.
fn chunk(id: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = id.to_vec();
    c.extend((data.len() as u32).to_le_bytes());
    c.extend(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

/// `d` with `new` inserted at byte `at`, the RIFF size updated.
fn insert(d: &[u8], at: usize, new: &[u8]) -> Vec<u8> {
    let mut out = d[..at].to_vec();
    out.extend(new);
    out.extend(&d[at..]);
    fix_riff_size(&mut out);
    out
}

fn c2pa_chunk(d: &[u8]) -> (usize, usize) {
    let c2pa: Vec<_> = chunks(d).into_iter().filter(|c| &c.2 == b"C2PA").collect();
    assert_eq!(c2pa.len(), 1, "one C2PA chunk");
    (c2pa[0].0, c2pa[0].1)
}

/// plain.webp with an EXIF chunk before the image data, signed by a throw-away key.
fn signed_webp() -> Vec<u8> {
    let plain = plain_webp();
    let with_exif = insert(&plain, 12, &chunk(b"EXIF", b"Exif\0\0MM\0*odd"));
    let (leaf, root) = acme_chain();
    let def = manifest_json(
        "image.webp",
        "Acme Imagine",
        Some("Acme Imagine"),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    );
    sign(&with_exif, "webp", &def, &[&leaf, &root])
}

/// Both paths' reports of `d` as `image.webp`, which must be the same (`what` names the case).
fn judge(d: &[u8], what: &str) -> (Report, Report) {
    own_path::judge(d, "image.webp", what)
}

#[test]
fn a_signed_webp_is_judged_by_the_own_path() {
    let d = signed_webp();
    let (own, _) = judge(&d, "signed");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert_eq!(own.verdict, Verdict::Untrusted, "a throw-away root");
    let v = serde_json::to_value(&own).unwrap();
    let success: Vec<&str> = v["validation"]["success"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert!(success.contains(&"assertion.dataHash.match"), "{success:?}");
    // the coverage map names the C2PA chunk's claim bytes and the hashed rest of the file
    let (start, end) = c2pa_chunk(&d);
    let cov = own.coverage.as_ref().expect("coverage");
    assert!(cov
        .covered
        .iter()
        .any(|r| r.by == "claim (signed)" && r.start >= start as u64 && r.end <= end as u64));
    assert_eq!(cov.unprotected_bytes, 0);
}

#[test]
fn a_webp_signed_over_a_signed_parent_is_judged_by_the_own_path() {
    let parent = signed_webp();
    let root = make_ca(&[("O", "Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("O", "Acme Edit")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let d = sign_with_parent(
        &parent,
        "webp",
        &manifest_json("edited.webp", "Acme Edit", None, None),
        &[&leaf, &root],
    );
    let (own, _) = judge(&d, "with parent");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert_eq!(own.ingredients.len(), 1);
}

/// Every tampering gets the SDK's report and verdict (`tampered`), whichever path judged it; the
/// own path judges only a plain data-hash mismatch (a changed or an extra chunk inside the
/// hashed bytes), and declines the layouts it does not prove (a second store, appended bytes).
#[test]
fn a_tampered_webp_gets_the_sdks_report() {
    let d = signed_webp();
    let (c2pa_start, c2pa_end) = c2pa_chunk(&d);
    let exif = chunks(&d)
        .into_iter()
        .find(|c| &c.2 == b"EXIF")
        .expect("EXIF chunk");
    let vp8 = chunks(&d)
        .into_iter()
        .find(|c| &c.2 == b"VP8 ")
        .expect("VP8 chunk");
    let store_chunk = d[c2pa_start..c2pa_end].to_vec();
    let mut removed = d[..exif.0].to_vec();
    removed.extend(&d[exif.1..]);
    fix_riff_size(&mut removed);
    let mut appended = d.clone();
    appended.extend(b"appended after the RIFF chunk");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a byte of the image data changed",
            flip_image_byte(&d, "webp"),
        ),
        (
            "a chunk inserted before the store",
            insert(&d, vp8.1, &chunk(b"JUNK", b"inserted")),
        ),
        (
            "a chunk inserted after the store",
            insert(&d, d.len(), &chunk(b"JUNK", b"inserted")),
        ),
        ("the EXIF chunk removed", removed),
        (
            "a second C2PA chunk after the first",
            insert(&d, d.len(), &store_chunk),
        ),
        (
            "a second C2PA chunk before the first",
            insert(&d, c2pa_start, &store_chunk),
        ),
        ("bytes appended after the RIFF chunk", appended),
    ];
    let mut own_path = 0;
    for (what, t) in cases {
        assert_ne!(t, d, "{what}");
        let (own, sdk) = judge(&t, what);
        assert_eq!(sdk.verdict, Verdict::Tampered, "{what}: {}", sdk.summary);
        if own.validated_by.as_deref() == Some("provcheck") {
            own_path += 1;
            let v = serde_json::to_value(&own).unwrap();
            assert_eq!(
                v["validation"]["failure"][0]["code"], "assertion.dataHash.mismatch",
                "{what}"
            );
        }
    }
    assert!(
        own_path > 0,
        "a changed image byte is the own path's to report"
    );
}

/// A RIFF bomb: a million empty chunks in a signed WebP are walked once, quickly, by the
/// locator (the file is tampered, with the SDK's report on both paths).
#[test]
fn a_webp_of_a_million_tiny_chunks_is_judged_quickly() {
    let d = signed_webp();
    let (c2pa_start, _) = c2pa_chunk(&d);
    let bomb: Vec<u8> = b"JUNK\0\0\0\0".repeat(1_000_000);
    let t = insert(&d, c2pa_start, &bomb);
    let start = Instant::now();
    let (own, sdk) = judge(&t, "a million chunks");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(own.verdict, Verdict::Tampered, "{}", own.summary);
    assert_eq!(sdk.verdict, Verdict::Tampered, "{}", sdk.summary);
}

/// A data-hash exclusion reaching beyond the C2PA chunk leaves image bytes outside the
/// signature. With the chunk located, provcheck's own check reports it on both paths, as it
/// does for JPEG and PNG (c2pa 0.90.22 alone reports the file intact); an exclusion that is
/// exactly the chunk is intact, and judged by the own path.
#[test]
fn a_data_hash_exclusion_beyond_the_c2pa_chunk_is_tampered() {
    let root = make_ca(&[("O", "Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("O", "Acme Labs")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let def = manifest_json(
        "image.webp",
        "Acme Imagine",
        None,
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    );
    let sign = |exclusion: fn(u64, u64) -> (u64, u64)| {
        sign_webp_with_exclusion(&plain_webp(), &def, &[&leaf, &root], exclusion).unwrap()
    };
    let exact = sign(|start, len| (start, len));
    let (own, _) = judge(&exact, "the exclusion is the chunk");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert_eq!(own.verdict, Verdict::Untrusted, "{}", own.summary);

    // 100 bytes of image data before the chunk excluded as well, then changed
    let wide = sign(|start, len| (start - 100, len + 100));
    let (start, _) = c2pa_chunk(&wide);
    let mut changed = wide.clone();
    changed[start - 50] ^= 0x01;
    for (what, d) in [("wide exclusion", wide), ("changed in it", changed)] {
        let (own, sdk) = judge(&d, what);
        assert_eq!(own.verdict, Verdict::Tampered, "{what}: {}", own.summary);
        assert!(
            own.codes().any(|c| c == "assertion.dataHash.mismatch"),
            "{what}"
        );
        // the SDK's own hash check passes: the failure is provcheck's check of the exclusion
        let v = serde_json::to_value(&sdk).unwrap();
        assert!(v["validation"]["success"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["code"] == "assertion.dataHash.match"));
    }
}

/// A plain PCM WAV: `fmt ` and `data` chunks.
fn plain_wav() -> Vec<u8> {
    let fmt = [1u16, 1]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .chain(8000u32.to_le_bytes())
        .chain(16000u32.to_le_bytes())
        .chain(2u16.to_le_bytes())
        .chain(16u16.to_le_bytes())
        .collect::<Vec<u8>>();
    let samples: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut d = b"RIFF\0\0\0\0WAVE".to_vec();
    d.extend(chunk(b"fmt ", &fmt));
    d.extend(chunk(b"data", &samples));
    fix_riff_size(&mut d);
    d
}

/// Shrink and inject on a WAV signed by c2pa's `Builder`, whose data hash excludes the whole
/// `C2PA` chunk (header and data): the store is cut inside its unsigned COSE pad and a chunk of
/// the forger's put in the freed bytes, inside the exclusion. The SDK's hash and signature
/// still verify; provcheck locates the store of a WAV (as of 2026-11-30; it located only
/// WebP's before) and finds the exclusion covering bytes that are not the store: `tampered`.
#[test]
fn a_signed_wav_with_a_shrunk_store_and_an_injected_chunk_is_tampered() {
    let root = make_ca(&[("O", "Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("O", "Acme Audio")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let def = manifest_json(
        "audio.wav",
        "Acme Audio",
        None,
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    );
    let d = sign(&plain_wav(), "wav", &def, &[&leaf, &root]);
    let v = own_path::verifier(true, own_path::fixed_time());
    let intact = v.verify_bytes(&d, Some("audio.wav"));
    assert_eq!(intact.verdict, Verdict::Untrusted, "{}", intact.summary);
    let (start, end) = c2pa_chunk(&d);
    let cov = intact.coverage.as_ref().expect("coverage");
    assert!(cov
        .covered
        .iter()
        .any(|r| r.by == "claim (signed)" && r.start >= start as u64 && r.end <= end as u64));
    assert_eq!(cov.unprotected_bytes, 0);

    // the hash excludes the chunk's header and data, not its pad byte (after an odd size): cut
    // by an odd count then, so that the JUNK chunk's own pad byte (zero) lands on the old one
    let len = u32::from_le_bytes(d[start + 4..start + 8].try_into().unwrap()) as usize;
    let k = if len.is_multiple_of(2) { 16 } else { 17 };
    let store = shrink_store(&d[start + 8..start + 8 + len], k);
    let mut forged = d[..start].to_vec();
    forged.extend(chunk(b"C2PA", &store));
    forged.extend(chunk(b"JUNK", &b"injected!"[..k - 8]));
    forged.extend(&d[end..]);
    assert_eq!(
        forged.len(),
        d.len(),
        "the same length: the exclusion still fits"
    );
    let r = v.verify_bytes(&forged, Some("audio.wav"));
    assert_eq!(r.verdict, Verdict::Tampered, "{}", r.summary);
    assert!(r.codes().any(|c| c == "assertion.dataHash.mismatch"));
    // the SDK's own hash passes: the failure is provcheck's check of the exclusion
    assert!(own_path::status_codes(&r, "success").contains(&"assertion.dataHash.match".to_string()));
}
