//! Attacks on real generator output (issue 15): each one edits a genuine, authentic corpus file
//! the way a forger would, and asserts provcheck does not call the result `authentic` (and says
//! why). The files are real and nobody here wrote them; the edits are made at run time.
//!
//! Needs `../shared/corpus`; without it the tests skip loudly, and fail when
//! `PROVCHECK_REQUIRE_CORPUS=1` (set by `.ci/run`).

use crate::common;

use common::corpus as test_support;
use common::tamper::{crc32, fix_png_crcs, shrink_store};

use std::path::Path;
use std::time::{Duration, Instant};

use provcheck::{Report, Verdict, Verifier, VerifierOptions};

/// The bytes of a corpus file, or `None` after a loud skip notice (a failure with
/// `PROVCHECK_REQUIRE_CORPUS=1`); a corpus that lacks the file fails the test.
fn read(rel: &str) -> Option<Vec<u8>> {
    let p = test_support::corpus_file(&format!("attack test on {rel}"), rel)?;
    Some(std::fs::read(p).expect("corpus file"))
}

fn verifier() -> Verifier {
    Verifier::new({
        let mut o = VerifierOptions::default();
        o.sdk_trust = false;
        o
    })
    .expect("verifier")
}

fn check(v: &Verifier, data: &[u8], name: &str) -> Report {
    let t = Instant::now();
    let r = v.verify_bytes(data, Some(name));
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "{name}: took {:?}",
        t.elapsed()
    );
    r
}

/// The report's verdict is `want`; else fail showing its summary and reason codes.
#[track_caller]
fn assert_verdict(r: &Report, want: Verdict) {
    assert_eq!(r.verdict, want, "{}: {:?}", r.summary, codes(r));
}

fn codes(r: &Report) -> Vec<&str> {
    r.codes().collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Byte ranges of the JPEG APP11 segments that carry JUMBF.
fn app11_segments(d: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 2;
    while pos + 4 <= d.len() && d[pos] == 0xff {
        let m = d[pos + 1];
        if m == 0xda || m == 0xd9 {
            break;
        }
        let len = u16::from_be_bytes([d[pos + 2], d[pos + 3]]) as usize;
        if m == 0xeb && d[pos + 4..pos + 6] == *b"JP" {
            out.push((pos, pos + 2 + len));
        }
        pos += 2 + len;
    }
    out
}

/// The bytes of the JPEG's entropy-coded scan: flipping one there changes the pixels.
fn a_pixel_byte(d: &[u8]) -> usize {
    let sos = find(d, &[0xff, 0xda]).expect("SOS");
    let start = sos + 2 + u16::from_be_bytes([d[sos + 2], d[sos + 3]]) as usize;
    (start + d.len()) / 2
}

/// The active manifest's label, renamed so that it ends in `cawg.` (same length): the label is
/// the attacker's to choose; only the claim, the assertions and the signature are signed.
fn rename_label_to_cawg(data: &mut [u8], label: &str) {
    let mut new = label.as_bytes().to_vec();
    let n = new.len();
    new[n - 5..].copy_from_slice(b"cawg.");
    let mut nul = label.as_bytes().to_vec();
    nul.push(0);
    let at = find(data, &nul).expect("label in a jumd box");
    data[at..at + n].copy_from_slice(&new);
}

#[test]
fn label_renamed_to_cawg_with_a_changed_pixel_is_tampered() {
    let Some(orig) = read("generators/adobe/Firefly_tabby_cat.jpg") else {
        return;
    };
    let v = verifier();
    let genuine = check(&v, &orig, "cat.jpg");
    assert_eq!(genuine.verdict, Verdict::Authentic, "{}", genuine.summary);
    let label = genuine.manifest.as_ref().unwrap().label.clone();

    let mut forged = orig.clone();
    rename_label_to_cawg(&mut forged, &label);
    let i = a_pixel_byte(&forged);
    forged[i] ^= 0x01;
    let r = check(&v, &forged, "cat.jpg");
    assert_verdict(&r, Verdict::Tampered);
    assert!(r
        .reasons
        .iter()
        .any(|x| x.code == "assertion.dataHash.mismatch"
            && x.severity == provcheck::Severity::Failure));
}

#[test]
fn transplanted_manifest_with_a_cawg_label_is_not_authentic() {
    let (Some(donor), Some(plain)) = (
        read("generators/adobe/Firefly_tabby_cat.jpg"),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/plain/plain.jpg")).ok(),
    ) else {
        return;
    };
    let v = verifier();
    let label = check(&v, &donor, "d.jpg").manifest.unwrap().label;
    // the donor's manifest segments, inserted right after the other photo's SOI
    let mut forged = plain[..2].to_vec();
    for (s, e) in app11_segments(&donor) {
        forged.extend_from_slice(&donor[s..e]);
    }
    forged.extend_from_slice(&plain[2..]);
    rename_label_to_cawg(&mut forged, &label);
    let r = check(&v, &forged, "photo.jpg");
    assert_verdict(&r, Verdict::Tampered);
}

#[test]
fn an_edited_cawg_training_mining_assertion_is_tampered() {
    let Some(orig) = read("generators/adobe/cloudscape-ACA-Cr.jpeg") else {
        return;
    };
    let v = verifier();
    assert_eq!(check(&v, &orig, "c.jpg").verdict, Verdict::Authentic);
    let mut forged = orig.clone();
    let box_at = find(&forged, b"cawg.training-mining\0").expect("assertion");
    let at = box_at + find(&forged[box_at..], b"notAllowed").expect("value");
    forged[at..at + 10].copy_from_slice(b"allowedAll");
    let r = check(&v, &forged, "c.jpg");
    assert_verdict(&r, Verdict::Tampered);
    assert!(codes(&r).contains(&"assertion.hashedURI.mismatch"));
}

#[test]
fn an_edited_cawg_identity_assertion_is_tampered() {
    let Some(orig) = read("generators/adobe/cloudscape-ACA-Cr.jpeg") else {
        return;
    };
    let v = verifier();
    let mut forged = orig.clone();
    let box_at = find(&forged, b"cawg.identity\0").expect("identity assertion");
    let at = box_at + 120;
    forged[at] ^= 0x20;
    let r = check(&v, &forged, "c.jpg");
    assert_ne!(
        r.verdict,
        Verdict::Authentic,
        "{}: {:?}",
        r.summary,
        codes(&r)
    );
}

#[test]
fn a_randomised_ingredient_thumbnail_is_tampered() {
    let Some(orig) = read("generators/adobe/genai-actions-v2.jpg") else {
        return;
    };
    let v = verifier();
    assert_eq!(check(&v, &orig, "g.jpg").verdict, Verdict::Authentic);
    let mut forged = orig.clone();
    let box_at = find(&forged, b"c2pa.thumbnail.ingredient").expect("thumbnail");
    let mut seed = 0x2545f4914f6cdd1du64;
    for b in &mut forged[box_at + 200..box_at + 264] {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        *b = seed as u8;
    }
    let r = check(&v, &forged, "g.jpg");
    assert_verdict(&r, Verdict::Tampered);
}

#[test]
fn a_replaced_thumbnail_data_box_is_tampered() {
    let Some(orig) = read("conformance/png/thumbnail-in-databox.png") else {
        return;
    };
    let v = verifier();
    assert_eq!(check(&v, &orig, "t.png").verdict, Verdict::Authentic);
    let mut forged = orig.clone();
    let store = find(&forged, b"c2pa.databoxes\0").expect("data box store");
    let at = store + 300;
    forged[at] ^= 0xff;
    // keep the PNG chunk CRC right, as a careful forger would
    fix_png_crcs(&mut forged);
    let r = check(&v, &forged, "t.png");
    assert_verdict(&r, Verdict::Tampered);
    assert!(codes(&r).contains(&"assertion.hashedURI.mismatch"));
}

#[test]
fn a_store_split_over_ten_thousand_segments_is_never_unsigned() {
    let Some(orig) = read("generators/adobe/Firefly_tabby_cat.jpg") else {
        return;
    };
    let segs = app11_segments(&orig);
    // reassemble the store: first packet after CI/En/Z, later ones after the repeated LBox/TBox
    let mut store = Vec::new();
    for (i, &(s, e)) in segs.iter().enumerate() {
        let body = &orig[s + 4..e];
        store.extend_from_slice(if i == 0 { &body[8..] } else { &body[16..] });
    }
    let header = store[0..8].to_vec();
    let chunk = store.len().div_ceil(10_000);
    let mut forged = orig[..2].to_vec();
    for (z, piece) in store.chunks(chunk).enumerate() {
        let mut c = b"JP".to_vec();
        c.extend(1u16.to_be_bytes());
        c.extend((z as u32 + 1).to_be_bytes());
        if z > 0 {
            c.extend(&header);
        }
        c.extend(piece);
        forged.extend([0xff, 0xeb]);
        forged.extend(((c.len() + 2) as u16).to_be_bytes());
        forged.extend(c);
    }
    let (_, last) = *segs.last().unwrap();
    let first = segs[0].0;
    forged.extend_from_slice(&orig[2..first]);
    forged.extend_from_slice(&orig[last..]);
    let v = verifier();
    let r = check(&v, &forged, "split.jpg");
    assert_ne!(r.verdict, Verdict::Unsigned, "{}", r.summary);
    assert_ne!(r.verdict, Verdict::Authentic, "{}", r.summary);
    assert!(
        codes(&r).contains(&"provcheck.limit.segments"),
        "{:?}",
        codes(&r)
    );
}

#[test]
fn bytes_appended_after_the_image_are_reported() {
    let Some(orig) = read("generators/microsoft/bing_creator_cloud_surfing_puppy.jpg") else {
        return;
    };
    let v = verifier();
    let mut forged = orig.clone();
    forged.extend(std::iter::repeat_n(0x5a, 730 * 1024));
    let r = check(&v, &forged, "bing.jpg");
    // a box-hash JPEG: the boxes the signer listed are intact, the tail is covered by nothing
    let cov = r.coverage.as_ref().expect("coverage map");
    assert_eq!(cov.binding, "box-hash");
    assert_eq!(cov.unprotected_bytes, 730 * 1024);
    assert_eq!(cov.unprotected[0].start, orig.len() as u64);
    assert!(codes(&r).contains(&"provcheck.binding.unprotectedBytes"));

    // after IEND of a data-hash PNG: the data hash covers the whole file, so it is tampering
    let Some(png) = read("generators/amazon/amazon-titan-g1.png") else {
        return;
    };
    let mut forged = png.clone();
    forged.extend(b"hidden payload after IEND");
    let r = check(&v, &forged, "titan.png");
    assert_eq!(r.verdict, Verdict::Tampered, "{}", r.summary);
}

/// Shrink and inject (c2pa-rs pull requests 2610 and 2653; C2PA 2.x "Validating a data hash":
/// the bytes inside a data-hash exclusion must be the manifest store and its padding, nothing
/// else). The active signature's COSE `pad` (an unprotected header: no signature covers it) is
/// cut by `k` bytes, every JUMBF box around it and the last APP11 segment shortened to match, and a
/// `k`-byte segment of the forger's put back inside the signed exclusion range: after the
/// store, or between its first two APP11 segments. The claim, the signature and every hashed
/// byte are unchanged, so the signature and the data hash still verify.
fn shrink_and_inject_jpeg(d: &[u8], k: usize, between: bool) -> Vec<u8> {
    let segs = app11_segments(d);
    assert!(segs.len() > 1, "a store over several APP11 segments");
    // each segment: its header (marker, length, CI, En, Z), then the store's bytes, after the
    // store box's header repeated in a continuation
    let head = |n: usize| if n == 0 { 12 } else { 20 };
    let mut store = Vec::new();
    for (n, &(s, e)) in segs.iter().enumerate() {
        store.extend_from_slice(&d[s + head(n)..e]);
    }
    let shrunk = shrink_store(&store, k);
    // the same segments around the shortened store, the last one `k` bytes shorter
    let mut out = d[..segs[0].0].to_vec();
    let mut from = 0;
    for (n, &(s, e)) in segs.iter().enumerate() {
        let body = if n + 1 == segs.len() {
            shrunk.len() - from
        } else {
            e - s - head(n)
        };
        let mut seg = d[s..s + 12].to_vec();
        seg[2..4].copy_from_slice(&((head(n) + body - 2) as u16).to_be_bytes());
        if n > 0 {
            seg.extend_from_slice(&shrunk[..8]);
        }
        seg.extend_from_slice(&shrunk[from..from + body]);
        from += body;
        out.extend(seg);
    }
    out.extend_from_slice(&d[segs[segs.len() - 1].1..]);
    let mut com = vec![0xff, 0xfe];
    com.extend(((k - 2) as u16).to_be_bytes());
    com.extend(b"injected by a forger, inside the signed exclusion");
    com.resize(k, b'!');
    let at = if between {
        segs[1].0
    } else {
        segs[segs.len() - 1].1 - k
    };
    out.splice(at..at, com);
    assert_eq!(out.len(), d.len());
    out
}

/// The same on a PNG: the `caBX` chunk shortened (CRC recomputed) and a `tEXt` chunk of `k`
/// bytes put after it, inside the exclusion.
fn shrink_and_inject_png(d: &[u8], k: usize) -> Vec<u8> {
    let c = find(d, b"caBX").expect("caBX") - 4;
    let len = u32::from_be_bytes(d[c..c + 4].try_into().unwrap()) as usize;
    let store = shrink_store(&d[c + 8..c + 8 + len], k);
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut ch = (data.len() as u32).to_be_bytes().to_vec();
        ch.extend(kind);
        ch.extend(data);
        let crc = crc32(&ch[4..]);
        ch.extend(crc.to_be_bytes());
        ch
    };
    let mut text = b"Comment\0injected by a forger".to_vec();
    text.resize(k - 12, b'!');
    let mut out = d[..c].to_vec();
    out.extend(chunk(b"caBX", &store));
    out.extend(chunk(b"tEXt", &text));
    out.extend(&d[c + 12 + len..]);
    assert_eq!(out.len(), d.len());
    out
}

/// The same on a RIFF file (WAV, WebP, AVI): the `C2PA` chunk shortened and a `JUNK` chunk put
/// after it, ending where the `C2PA` chunk ended. The data hash excludes the chunk's header and
/// data but not its pad byte (after an odd size), so `k` is chosen of the size's parity: after an
/// odd size the `JUNK` chunk's own pad byte (zero) lands on the old one.
fn shrink_and_inject_riff(d: &[u8], k: usize) -> Vec<u8> {
    let c = find(d, b"C2PA").expect("a C2PA chunk");
    let len = u32::from_le_bytes(d[c + 4..c + 8].try_into().unwrap()) as usize;
    let k = if len.is_multiple_of(2) { k & !1 } else { k | 1 };
    let store = shrink_store(&d[c + 8..c + 8 + len], k);
    let chunk = |id: &[u8; 4], data: &[u8]| {
        let mut ch = id.to_vec();
        ch.extend((data.len() as u32).to_le_bytes());
        ch.extend(data);
        if data.len() % 2 == 1 {
            ch.push(0);
        }
        ch
    };
    let mut junk = b"injected by a forger".to_vec();
    junk.resize(k - 8, b'!');
    let mut out = d[..c].to_vec();
    out.extend(chunk(b"C2PA", &store));
    out.extend(chunk(b"JUNK", &junk));
    out.extend(&d[c + 8 + len + len % 2..]);
    assert_eq!(out.len(), d.len());
    out
}

/// Shrink and inject on authentic generator output: the signature and the data hash still
/// verify (c2pa 0.90.22 alone reports nothing), but the exclusion now covers bytes that are not
/// the manifest store, so the file is `tampered`. A forger's segment *between* two APP11
/// segments of the store lay inside the store's extent, which provcheck checked until
/// 2026-11-30: those files read `authentic`; each exclusion must now lie in one run of the
/// store's carriers. A PNG likewise, and a WAV, whose store was not located before.
#[test]
fn a_shrunk_store_with_injected_bytes_is_tampered() {
    let v = verifier();
    for rel in [
        "generators/adobe/Firefly_tabby_cat.jpg",
        "generators/adobe/genai-actions-v2.jpg",
    ] {
        let Some(orig) = read(rel) else {
            return;
        };
        assert_eq!(
            check(&v, &orig, "orig.jpg").verdict,
            Verdict::Authentic,
            "{rel}"
        );
        for between in [false, true] {
            let forged = shrink_and_inject_jpeg(&orig, 64, between);
            let r = check(&v, &forged, "forged.jpg");
            assert_eq!(
                r.verdict,
                Verdict::Tampered,
                "{rel} (between: {between}): {}",
                r.summary
            );
            assert!(codes(&r).contains(&"assertion.dataHash.mismatch"), "{rel}");
            // the signature still verifies: the signer is named, the claim is not in doubt
            assert!(r.authenticated_source.is_some(), "{rel}");
        }
    }
    let (Some(png), Some(wav)) = (
        read("generators/amazon/amazon-titan-g1.png"),
        read("conformance/wav/audio.wav"),
    ) else {
        return;
    };
    // an authentic Adobe WAV: provcheck did not locate a WAV's store before 2026-11-30, so
    // nothing checked its exclusion and this read `authentic`
    for (name, orig, forged) in [
        ("forged.png", &png, shrink_and_inject_png(&png, 64)),
        ("forged.wav", &wav, shrink_and_inject_riff(&wav, 64)),
    ] {
        assert_eq!(check(&v, orig, name).verdict, Verdict::Authentic, "{name}");
        let r = check(&v, &forged, name);
        assert_eq!(r.verdict, Verdict::Tampered, "{name}: {}", r.summary);
        assert!(codes(&r).contains(&"assertion.dataHash.mismatch"), "{name}");
    }
}

/// Shrink and inject on an SVG, as c2pa-rs pull request 2653 showed it: the store (base64 text of
/// `c2pa:manifest`, which the data hash excludes) cut by `k` bytes (a multiple of 3, so the text
/// loses exactly `4k/3` characters), and markup of the forger's put in the freed characters:
/// the manifest element closed early, a red rectangle drawn, an empty manifest element opened
/// again for the original end tag. The SDK still reads the shortened store; signature and hash
/// verify.
fn shrink_and_inject_svg(d: &[u8], k: usize) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let open = find(d, b"<c2pa:manifest").expect("a manifest element");
    let start = open + find(&d[open..], b">").unwrap() + 1;
    let end = start + find(&d[start..], b"<").unwrap();
    let store = b64.decode(&d[start..end]).expect("base64 store");
    let shrunk = b64.encode(shrink_store(&store, k));
    let freed = (end - start) - shrunk.len();
    assert_eq!(freed, 4 * k / 3);
    let mut markup =
        b"</c2pa:manifest></metadata><rect width=\"99\" height=\"99\" fill=\"red\"".to_vec();
    let tail = b"/><metadata><c2pa:manifest>";
    assert!(markup.len() + tail.len() <= freed, "room for the markup");
    markup.resize(freed - tail.len(), b' ');
    markup.extend(tail);
    let mut out = d[..start].to_vec();
    out.extend(shrunk.as_bytes());
    out.extend(markup);
    out.extend(&d[end..]);
    assert_eq!(out.len(), d.len());
    out
}

/// [`shrink_and_inject_svg`] on a real signed SVG: `tampered`, where the SDK's own checks all
/// pass. provcheck locates an SVG's store (as of 2026-11-30) and finds the exclusion holding
/// bytes that are not the store; before, nothing checked an SVG's exclusion.
#[test]
fn a_shrunk_svg_store_with_injected_markup_is_tampered() {
    let Some(orig) = read("conformance/svg/cards_trusted.svg") else {
        return;
    };
    let v = verifier();
    let intact = check(&v, &orig, "cards.svg");
    assert!(
        !codes(&intact).contains(&"assertion.dataHash.mismatch"),
        "{}",
        intact.summary
    );
    let forged = shrink_and_inject_svg(&orig, 96);
    assert!(find(&forged, b"fill=\"red\"").is_some());
    let r = check(&v, &forged, "cards.svg");
    assert_eq!(r.verdict, Verdict::Tampered, "{}", r.summary);
    assert!(codes(&r).contains(&"assertion.dataHash.mismatch"));
    // the SDK's own hash passes: the failure is provcheck's check of the exclusion
    assert!(r
        .validation
        .success
        .iter()
        .any(|s| s.code == "assertion.dataHash.match"));
}

/// A box of `kind` around `payload`.
fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend(kind);
    b.extend(payload);
    b
}

/// A JUMBF superbox: a `jumd` of the C2PA type `tag` (its UUID: the tag, then the C2PA suffix),
/// requestable and labelled `label`, then `children`.
fn superbox(tag: &[u8; 4], label: &str, children: &[&[u8]]) -> Vec<u8> {
    let mut jumd = tag.to_vec();
    jumd.extend(b"\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71\x03");
    jumd.extend(label.as_bytes());
    jumd.push(0);
    let mut payload = bx(b"jumd", &jumd);
    for c in children {
        payload.extend(*c);
    }
    bx(b"jumb", &payload)
}

/// A tagged COSE_Sign1 with nothing in it: a signature box's content that is not a signature.
const NOT_A_SIGNATURE: &[u8] = &[0xd2, 0x84, 0x40, 0xa0, 0xf6, 0x40];

/// A PNG whose caBX chunk holds a store with one manifest whose claim lists `n` assertions.
fn png_with_huge_claim(n: usize) -> Vec<u8> {
    // CBOR by hand: {"signature": "...", "created_assertions": [ {url, hash} x n ]}
    let mut claim = vec![0xa2];
    let text = |s: &str| {
        let mut v = vec![0x78, s.len() as u8];
        v.extend(s.as_bytes());
        v
    };
    claim.extend(text("signature"));
    claim.extend(text("self#jumbf=c2pa.signature"));
    claim.extend(text("created_assertions"));
    claim.push(0x9a);
    claim.extend((n as u32).to_be_bytes());
    for i in 0..n {
        claim.push(0xa2);
        claim.extend(text("url"));
        claim.extend(text(&format!("self#jumbf=c2pa.assertions/a{i}")));
        claim.extend(text("hash"));
        claim.push(0x58);
        claim.push(32);
        claim.extend([0u8; 32]);
    }
    let manifest = superbox(
        b"c2ma",
        "urn:c2pa:huge",
        &[
            &superbox(b"c2as", "c2pa.assertions", &[]),
            &superbox(b"c2cl", "c2pa.claim.v2", &[&bx(b"cbor", &claim)]),
            &superbox(b"c2cs", "c2pa.signature", &[&bx(b"cbor", NOT_A_SIGNATURE)]),
        ],
    );
    let store = superbox(b"c2pa", "c2pa", &[&manifest]);
    let plain =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/plain/plain.png"))
            .expect("plain.png");
    let mut out = plain[..33].to_vec(); // signature + IHDR
    out.extend((store.len() as u32).to_be_bytes());
    let mut chunk = b"caBX".to_vec();
    chunk.extend(&store);
    out.extend(&chunk);
    out.extend(crc32(&chunk).to_be_bytes());
    out.extend(&plain[33..]);
    out
}

#[test]
fn a_claim_of_200000_assertions_is_refused_in_time() {
    let data = png_with_huge_claim(200_000);
    let v = verifier();
    let r = check(&v, &data, "huge.png");
    assert_eq!(r.verdict, Verdict::Error, "{}", r.summary);
    assert!(
        codes(&r).contains(&"provcheck.limit.assertions"),
        "{:?}",
        codes(&r)
    );
}

#[test]
fn an_edited_ingredient_manifest_is_tampered() {
    let Some(orig) = read("generators/adobe/genai-actions-v2.jpg") else {
        return;
    };
    let v = verifier();
    let genuine = check(&v, &orig, "g.jpg");
    assert_eq!(genuine.verdict, Verdict::Authentic);
    assert!(genuine.manifest.as_ref().unwrap().manifest_count > 1);
    // the ingredient's manifest comes first in the store: edit its actions assertion
    let mut forged = orig.clone();
    let at = find(&forged, b"c2pa.actions\0").expect("ingredient's actions") + 60;
    forged[at] ^= 0x04;
    let r = check(&v, &forged, "g.jpg");
    assert_verdict(&r, Verdict::Tampered);
    // the ingredient is shown as broken in the tree
    assert!(
        r.ingredients
            .iter()
            .any(|i| i.integrity == provcheck::Integrity::Invalid),
        "{:?}",
        r.ingredients
    );
}

/// Issue 10: the multi-asset hash of a real Motion Photo (the optional video already dropped).
#[test]
fn motion_photo_parts_changed_appended_or_dropped() {
    let Some(orig) = read("multipart/pixel-motion-photo-video-stripped.jpg") else {
        return;
    };
    let v = verifier();
    let genuine = check(&v, &orig, "m.jpg");
    assert_eq!(genuine.verdict, Verdict::Authentic, "{}", genuine.summary);
    assert!(codes(&genuine).contains(&"provcheck.multiAsset.optionalPartMissing"));
    // judged by provcheck's own validation path (issue 14), with the SDK's report
    // (tests/suite/differential.rs)
    assert_eq!(genuine.validated_by.as_deref(), Some("provcheck"));
    let cov = genuine.coverage.as_ref().unwrap();
    assert_eq!(cov.binding, "multi-asset");
    // the parts as provcheck read them
    let part_ends: Vec<u64> = cov
        .covered
        .iter()
        .filter(|c| c.by.starts_with("multi-asset part"))
        .map(|c| c.end)
        .collect();
    let still_end = *part_ends
        .iter()
        .filter(|&&e| e < orig.len() as u64)
        .max()
        .expect("the still part ends before the file does");

    // a changed byte in the still image
    let mut m = orig.clone();
    let i = a_pixel_byte(&m);
    m[i] ^= 0x10;
    let r = check(&v, &m, "m.jpg");
    assert_eq!(r.verdict, Verdict::Tampered, "{}", r.summary);
    assert!(codes(&r).contains(&"provcheck.multiAsset.mismatch"));

    // a forged "video" appended where the dropped optional part was
    let mut m = orig.clone();
    m.extend(std::iter::repeat_n(0x42, 200_000));
    let r = check(&v, &m, "m.jpg");
    assert_eq!(r.verdict, Verdict::Tampered, "{}", r.summary);

    // the other optional part dropped too: still intact
    let m = orig[..still_end as usize].to_vec();
    let r = check(&v, &m, "m.jpg");
    assert_verdict(&r, Verdict::Authentic);
}

/// The top-level box of a JPEG XL container whose payload starts with a `jumd` box labelled
/// `c2pa`: `(start, end)`.
fn jxl_c2pa_box(d: &[u8]) -> (usize, usize) {
    let mut at = 12;
    while at + 8 <= d.len() {
        let size = u32::from_be_bytes(d[at..at + 4].try_into().unwrap()) as usize;
        let payload = &d[at + 8..at + size];
        if &d[at + 4..at + 8] == b"jumb"
            && payload.get(4..8) == Some(b"jumd")
            && payload.get(25..30) == Some(b"c2pa\0")
        {
            return (at, at + size);
        }
        at += size;
    }
    panic!("no C2PA jumb box");
}

/// The same on JPEG XL: the store's `jumb` box (which c2pa's writer excludes whole from the data
/// hash) shortened by `k` bytes, and an `xml ` box of the forger's (XMP a reader shows) put in the
/// freed bytes, inside the exclusion.
fn shrink_and_inject_jxl(d: &[u8], k: usize) -> Vec<u8> {
    let (start, end) = jxl_c2pa_box(d);
    let mut xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>injected by a forger".to_vec();
    xmp.resize(k - 8, b' ');
    let mut out = d[..start].to_vec();
    out.extend(shrink_store(&d[start..end], k));
    out.extend((k as u32).to_be_bytes());
    out.extend(b"xml ");
    out.extend(xmp);
    out.extend(&d[end..]);
    assert_eq!(out.len(), d.len());
    out
}

/// Shrink and inject on a JPEG XL image (the corpus's unsigned sample, signed at run time by
/// c2pa's `Builder` with throw-away keys): the SDK's signature and hash checks pass, and
/// provcheck, which locates a JPEG XL store as of 2026-11-30 (nothing checked its exclusion
/// before), finds bytes in the exclusion that are not the store: `tampered`. The intact file
/// reads `untrusted` (an unknown test root), with no byte of it unprotected.
#[test]
fn a_shrunk_jxl_store_with_an_injected_box_is_tampered() {
    use common::certs::{make_ca, make_leaf, KeyAlg, LeafOpts};
    use common::sign::{manifest_json, sign, DST_TRAINED_ALGORITHMIC_MEDIA};
    let Some(unsigned) = read("conformance/jxl/sample1.jxl") else {
        return;
    };
    let root = make_ca(&[("O", "Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(&[("O", "Acme")], &root, KeyAlg::P256, &LeafOpts::default());
    let def = manifest_json("a.jxl", "Acme", None, Some(DST_TRAINED_ALGORITHMIC_MEDIA));
    let d = sign(&unsigned, "image/jxl", &def, &[&leaf, &root]);
    let v = verifier();
    let intact = check(&v, &d, "a.jxl");
    assert_eq!(intact.verdict, Verdict::Untrusted, "{}", intact.summary);
    let (start, end) = jxl_c2pa_box(&d);
    let cov = intact.coverage.as_ref().expect("coverage");
    assert!(cov
        .covered
        .iter()
        .any(|r| r.by == "claim (signed)" && r.start >= start as u64 && r.end <= end as u64));
    assert_eq!(cov.unprotected_bytes, 0);

    let forged = shrink_and_inject_jxl(&d, 64);
    let r = check(&v, &forged, "a.jxl");
    assert_eq!(r.verdict, Verdict::Tampered, "{}", r.summary);
    assert!(codes(&r).contains(&"assertion.dataHash.mismatch"));
    // the SDK's own hash passes: the failure is provcheck's check of the exclusion
    assert!(r
        .validation
        .success
        .iter()
        .any(|s| s.code == "assertion.dataHash.match"));
}

/// The boxes directly inside the superbox that starts at `sb` (after its `jumd`): `(start, len)`.
fn child_boxes(s: &[u8], sb: usize) -> Vec<(usize, usize)> {
    let be = |at: usize| u32::from_be_bytes(s[at..at + 4].try_into().unwrap()) as usize;
    let end = sb + be(sb);
    let mut at = sb + 8 + be(sb + 8);
    let mut out = Vec::new();
    while at + 8 <= end {
        out.push((at, be(at)));
        at += be(at);
    }
    out
}

/// Every text in a CBOR value with `from` replaced by `to`.
fn replace_text(v: &mut coset::cbor::value::Value, from: &str, to: &str) {
    use coset::cbor::value::Value;
    match v {
        Value::Text(t) => *t = t.replace(from, to),
        Value::Array(a) => a.iter_mut().for_each(|x| replace_text(x, from, to)),
        Value::Map(m) => m.iter_mut().for_each(|(_, x)| replace_text(x, from, to)),
        _ => {}
    }
}

/// A redaction listed by a manifest nothing references. The forger replaces a byte of the data
/// box (an ingredient's thumbnail) of an authentic Adobe PNG, which provcheck's own check of
/// every hashed URI reports (`a_replaced_thumbnail_data_box_is_tampered`; c2pa 0.90 does not
/// check data boxes), and adds to the store a manifest of their own, unsigned and referenced by
/// nothing, whose claim lists that data box in `redacted_assertions`; the room for it is cut
/// from the active signature's COSE pad, so the store keeps its size and the data hash holds.
/// Until 2026-11-30 provcheck honoured a redaction listed by any manifest of the store: this
/// read `authentic`. A redaction now counts only from a manifest of the active manifest's
/// provenance, for a manifest it took in (C2PA 2.x "Redaction of assertions").
#[test]
fn a_redaction_listed_by_a_manifest_nothing_references_hides_nothing() {
    use coset::cbor::value::Value;
    let Some(orig) = read("conformance/png/thumbnail-in-databox.png") else {
        return;
    };
    let v = verifier();
    assert_eq!(check(&v, &orig, "t.png").verdict, Verdict::Authentic);
    let forged = with_orphan(&orig, true, |claim, active_label, _| {
        replace_text(claim, "Adobe_Firefly", "nobody");
        let Value::Map(fields) = claim else {
            panic!("a claim map")
        };
        fields.push((
            Value::Text("redacted_assertions".into()),
            Value::Array(vec![Value::Text(format!(
                "self#jumbf=/c2pa/{active_label}/c2pa.databoxes/c2pa.data"
            ))]),
        ));
    });
    let r = check(&v, &forged, "t.png");
    assert_verdict(&r, Verdict::Tampered);
    assert!(codes(&r).contains(&"assertion.hashedURI.mismatch"));
}

/// The label of [`with_orphan`]'s manifest.
const ORPHAN_LABEL: &str = "urn:uuid:00000000-0000-4000-8000-00000000beef";

/// An authentic PNG with a manifest of a forger's added to its store, unsigned and referenced
/// by nothing: a copy of the store's first manifest's assertion store and claim (the
/// ingredient's, in `thumbnail-in-databox.png`), renamed and edited by `edit` (given the
/// claim, the active manifest's label and the copied assertion store), with a signature box
/// that is not a signature. The room for it is cut from the active signature's COSE pad, so
/// the store keeps its size and the data hash holds; the orphan goes first, the active
/// manifest stays the last. `flip_data_box`: also change a byte of the active manifest's data
/// box (an ingredient's thumbnail, in `thumbnail-in-databox.png`).
fn with_orphan(
    orig: &[u8],
    flip_data_box: bool,
    edit: impl FnOnce(&mut coset::cbor::value::Value, &str, &mut Vec<u8>),
) -> Vec<u8> {
    with_added_manifest(orig, flip_data_box, AddedLabel::Fresh, edit)
}

/// The label [`with_added_manifest`] gives the manifest it adds.
#[derive(Clone, Copy, Debug)]
enum AddedLabel {
    /// [`ORPHAN_LABEL`], which nothing references.
    Fresh,
    /// The active manifest's.
    Active,
    /// The first manifest's (the ingredient's, in `thumbnail-in-databox.png`).
    Ingredient,
}

/// [`with_orphan`], with the added manifest labelled as `label` says.
fn with_added_manifest(
    orig: &[u8],
    flip_data_box: bool,
    label: AddedLabel,
    edit: impl FnOnce(&mut coset::cbor::value::Value, &str, &mut Vec<u8>),
) -> Vec<u8> {
    use coset::cbor::value::Value;
    let c = find(orig, b"caBX").expect("caBX") - 4;
    let len = u32::from_be_bytes(orig[c..c + 4].try_into().unwrap()) as usize;
    let store = &orig[c + 8..c + 8 + len];
    let manifests = child_boxes(store, 0);
    let (active, ingredient) = (manifests[manifests.len() - 1], manifests[0]);
    let label_of = |(at, _): (usize, usize)| {
        let l = &store[at + 8 + 8 + 17..];
        String::from_utf8(l[..l.iter().position(|&b| b == 0).unwrap()].to_vec()).unwrap()
    };
    let (active_label, ingredient_label) = (label_of(active), label_of(ingredient));
    let parts = child_boxes(store, ingredient.0);
    let part = |name: &str| {
        let &(at, n) = parts
            .iter()
            .find(|&&p| label_of(p) == name)
            .expect("manifest part");
        &store[at..at + n]
    };
    let claim_box = part("c2pa.claim");
    let cbor_at = child_boxes(claim_box, 0)[0].0;
    let mut claim: Value = coset::cbor::de::from_reader(&claim_box[cbor_at + 8..]).unwrap();
    replace_text(&mut claim, &ingredient_label, ORPHAN_LABEL);
    let mut assertions = part("c2pa.assertions").to_vec();
    edit(&mut claim, &active_label, &mut assertions);
    let mut claim_cbor = Vec::new();
    coset::cbor::ser::into_writer(&claim, &mut claim_cbor).unwrap();
    let orphan = superbox(
        b"c2ma",
        match label {
            AddedLabel::Fresh => ORPHAN_LABEL,
            AddedLabel::Active => &active_label,
            AddedLabel::Ingredient => &ingredient_label,
        },
        &[
            &assertions,
            &superbox(b"c2cl", "c2pa.claim", &[&bx(b"cbor", &claim_cbor)]),
            &superbox(b"c2cs", "c2pa.signature", &[&bx(b"cbor", NOT_A_SIGNATURE)]),
        ],
    );
    let mut forged_store = shrink_store(store, orphan.len());
    let first = child_boxes(&forged_store, 0)[0].0;
    forged_store.splice(first..first, orphan.iter().copied());
    let outer = (u32::from_be_bytes(forged_store[..4].try_into().unwrap()) as usize) + orphan.len();
    forged_store[..4].copy_from_slice(&(outer as u32).to_be_bytes());
    assert_eq!(forged_store.len(), store.len());
    if flip_data_box {
        let data = find(&forged_store, b"c2pa.databoxes\0").expect("data box store");
        forged_store[data + 300] ^= 0xff;
    }
    let mut forged = orig.to_vec();
    forged[c + 8..c + 8 + len].copy_from_slice(&forged_store);
    fix_png_crcs(&mut forged);
    forged
}

/// A manifest nothing references is no part of the file's provenance (C2PA 2.x: the active
/// manifest and the ingredient manifests it takes in). A forger can add one to a genuine
/// file's store without touching a signed byte (the room cut from the active signature's
/// pad). Until 2026-11-30 each of these made the genuine Adobe file read: naming a famous
/// generator its missing signature cannot back, `mismatched`; with broken hashes (provcheck's
/// own check), `tampered`; with an assertion that is not CBOR under a label the ingredient
/// manifest also uses (the c2pa SDK loads every manifest of a store and logs that among the
/// active manifest's failures, with the bare label), `tampered`; one the SDK cannot load at
/// all, `error`. Its claims and problems are now not the file's, and a warning says the
/// manifest is there.
#[test]
fn a_manifest_nothing_references_makes_a_genuine_file_neither_mismatched_nor_tampered() {
    let Some(orig) = read("conformance/png/thumbnail-in-databox.png") else {
        return;
    };
    let v = verifier();
    let naming = with_orphan(&orig, false, |claim, _, _| {
        replace_text(claim, "Adobe_Firefly", "ChatGPT");
    });
    let broken = with_orphan(&orig, false, |claim, _, _| flip_hashes(claim));
    let not_cbor = with_orphan(&orig, false, |_, _, assertions| {
        let at = find(assertions, b"c2pa.actions").expect("an actions assertion");
        let cbor = at + find(&assertions[at..], b"cbor").expect("its content box") + 4;
        assertions[cbor] = 0xff; // a "break" with nothing to end
    });
    for (what, forged) in [
        ("naming ChatGPT", naming),
        ("with broken hashes", broken),
        ("with an assertion that is not CBOR", not_cbor),
    ] {
        orphan_set_aside(&v, &forged, what);
    }
    // one the SDK cannot load at all (an assertion no claim lists) stops it reading the store;
    // this file only the SDK judges, so it is given the store without the manifest nothing
    // references (until 2026-11-30: `error`)
    let unlisted = with_orphan(&orig, false, |_, _, assertions| {
        *assertions = unlisted_assertion_store()
    });
    let r = orphan_set_aside(&v, &unlisted, "with an unlisted assertion");
    assert_eq!(r.validated_by.as_deref(), Some("c2pa"));
    // an orphan that names ChatGPT as well: still the genuine file's report
    let naming = with_orphan(&orig, false, |claim, _, assertions| {
        replace_text(claim, "Adobe_Firefly", "ChatGPT");
        *assertions = unlisted_assertion_store()
    });
    orphan_set_aside(&v, &naming, "the SDK cannot load, naming ChatGPT");
    // and a broken file stays broken: the same orphan with a changed data box of the active
    // manifest is tampered, not authentic
    let broken = with_orphan(&orig, true, |_, _, assertions| {
        *assertions = unlisted_assertion_store()
    });
    let r = check(&v, &broken, "t.png");
    assert_verdict(&r, Verdict::Tampered);
}

/// The same on the shape of generator output provcheck's own path judges (Amazon Titan's PNG,
/// one manifest): the own path validates the active manifest's provenance and leaves a
/// manifest nothing references aside. Until 2026-11-30 such a manifest sent the file to the
/// c2pa SDK, which loads every manifest of a store: one whose assertion store holds an
/// assertion its claim does not list made the SDK refuse the whole store, and the genuine file
/// read `error`; naming ChatGPT, `mismatched`.
#[test]
fn a_manifest_nothing_references_leaves_the_own_path_judging_the_genuine_file() {
    let Some(orig) = read("generators/amazon/amazon-titan-g1.png") else {
        return;
    };
    let v = verifier();
    let intact = check(&v, &orig, "t.png");
    assert_eq!(intact.verdict, Verdict::Authentic, "{}", intact.summary);
    assert_eq!(intact.validated_by.as_deref(), Some("provcheck"));
    let naming = with_orphan(&orig, false, |claim, _, assertions| {
        replace_text(claim, "Titan", "ChatGPT");
        replace_text(claim, "Amazon", "OpenAI");
        *assertions = unlisted_assertion_store();
    });
    let unlisted = with_orphan(&orig, false, |_, _, assertions| {
        *assertions = unlisted_assertion_store()
    });
    for (what, forged) in [
        ("naming ChatGPT", naming),
        ("with an unlisted assertion", unlisted),
    ] {
        let r = orphan_set_aside(&v, &forged, what);
        assert_eq!(
            r.validated_by.as_deref(),
            Some("provcheck"),
            "an orphan {what}"
        );
    }
}

/// A manifest added to a genuine store under a label the store already uses (the active
/// manifest's, or the ingredient's it takes in): which box a reference to that label means is
/// ambiguous (the c2pa SDK keeps the last, a reader that keeps the first sees the forger's), so
/// provcheck refuses to choose and the file reads `tampered`, naming the duplicate; never
/// `authentic` on the forger's box, never `mismatched` on its claim. (A forger can make any
/// file `tampered` by changing one byte; what they must not reach is `authentic` or
/// `mismatched`.)
#[test]
fn a_manifest_added_under_a_label_the_store_uses_is_refused_not_resolved() {
    let Some(orig) = read("conformance/png/thumbnail-in-databox.png") else {
        return;
    };
    let v = verifier();
    for label in [AddedLabel::Active, AddedLabel::Ingredient] {
        let forged = with_added_manifest(&orig, false, label, |claim, _, _| {
            replace_text(claim, "Adobe_Firefly", "ChatGPT");
        });
        let r = check(&v, &forged, "t.png");
        assert_eq!(
            r.verdict,
            Verdict::Tampered,
            "{label:?}: {}: {:?}",
            r.summary,
            codes(&r)
        );
        assert!(
            codes(&r).contains(&provcheck::codes::MANIFEST_DUPLICATE_BOX),
            "{label:?}: {:?}",
            codes(&r)
        );
        assert!(
            !r.claimed_source.generators.iter().any(|g| g == "openai"),
            "{label:?}: {:?}",
            r.claimed_source
        );
    }
}

/// The report on a genuine file with a manifest nothing references (`what` it is): `authentic`,
/// the warning naming it, no claim of OpenAI's from it, no failure.
fn orphan_set_aside(v: &Verifier, forged: &[u8], what: &str) -> Report {
    let r = check(v, forged, "t.png");
    assert_eq!(
        r.verdict,
        Verdict::Authentic,
        "an orphan {what}: {}: {:?}",
        r.summary,
        codes(&r)
    );
    assert!(codes(&r).contains(&provcheck::codes::c2pa::MANIFEST_UNREFERENCED));
    assert!(!r.claimed_source.generators.iter().any(|g| g == "openai"));
    assert!(
        r.validation.failure.is_empty(),
        "an orphan {what}: {:?}",
        r.validation.failure
    );
    r
}

/// An assertion store whose one assertion no claim lists (the c2pa SDK refuses such a store).
fn unlisted_assertion_store() -> Vec<u8> {
    superbox(
        b"c2as",
        "c2pa.assertions",
        &[&superbox(
            b"cbor",
            "c2pa.unlisted",
            &[&bx(b"cbor", &[0xa0])],
        )],
    )
}

/// Every `hash` byte string in a CBOR value changed.
fn flip_hashes(v: &mut coset::cbor::value::Value) {
    use coset::cbor::value::Value;
    match v {
        Value::Map(m) => m.iter_mut().for_each(|(k, x)| {
            if let (Value::Text(k), Value::Bytes(b)) = (&*k, &mut *x) {
                if k == "hash" {
                    b[0] ^= 1;
                }
            }
            flip_hashes(x)
        }),
        Value::Array(a) => a.iter_mut().for_each(flip_hashes),
        _ => {}
    }
}
