//! provcheck's own validation path on GIF and TIFF files with a data hash (issue 14): files
//! made and signed at run time (the `image` crate's encoders, c2pa's `Builder`, throw-away
//! keys), then changed at the container level. The own path must judge the intact ones itself
//! with the SDK's report, and every changed one must get the SDK's report whichever path judged
//! it: the locator follows the SDK's GIF block walk and TIFF IFD walk, or declines.

use crate::common;
use crate::own_path;

use std::io::Cursor;

use common::*;
use provcheck::{Report, Verdict};

/// A 64x48 RGB gradient whose pixel rows are easy to find in an uncompressed TIFF.
fn pixels() -> image::RgbImage {
    image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, ((x + y) * 2) as u8])
    })
}

fn encode(format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    pixels().write_to(&mut out, format).expect("encode");
    out.into_inner()
}

fn definition(ext: &str) -> String {
    manifest_json(
        &format!("image.{ext}"),
        "Acme Imagine",
        Some("Acme Imagine"),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    )
}

/// A plain image of `ext` ("gif", "tiff") signed by c2pa's `Builder`.
fn signed(ext: &str) -> Vec<u8> {
    let plain = match ext {
        "gif" => encode(image::ImageFormat::Gif),
        _ => encode(image::ImageFormat::Tiff),
    };
    let (leaf, root) = acme_chain();
    sign(&plain, ext, &definition(ext), &[&leaf, &root])
}

/// Both paths' reports of `d` as `image.<ext>`, which must be the same.
fn judge(d: &[u8], ext: &str, what: &str) -> (Report, Report) {
    own_path::judge(d, &format!("image.{ext}"), what)
}

/// As [`own_path::judge_changed`] for `d` named after `ext`.
fn judge_changed(d: &[u8], ext: &str, what: &str) -> Report {
    own_path::judge_changed(d, &format!("image.{ext}"), what)
}

fn c2pa_gif_block(d: &[u8]) -> (usize, usize) {
    own_path::gif_c2pa_block(d).expect("a C2PA block")
}

fn insert(d: &[u8], at: usize, new: &[u8]) -> Vec<u8> {
    let mut out = d[..at].to_vec();
    out.extend(new);
    out.extend(&d[at..]);
    out
}

fn success_codes(r: &Report) -> Vec<String> {
    own_path::status_codes(r, "success")
}

/// Each changed copy judged by both paths ([`judge_changed`]); how many the own path judged.
fn own_judged(cases: &own_path::Mutants, ext: &str) -> usize {
    cases
        .iter()
        .filter(|(what, m)| {
            judge_changed(m, ext, what).validated_by.as_deref() == Some("provcheck")
        })
        .count()
}

#[test]
fn signed_gif_and_tiff_are_judged_by_the_own_path() {
    for ext in ["gif", "tiff"] {
        let d = signed(ext);
        let (own, _) = judge(&d, ext, ext);
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{ext}");
        assert_eq!(own.verdict, Verdict::Untrusted, "{ext}: a throw-away root");
        assert!(
            success_codes(&own).contains(&"assertion.dataHash.match".to_string()),
            "{ext}"
        );
        // the store is located: the coverage map names the claim's bytes, and every byte of
        // the file is covered by the data hash or is the store's carrier
        let cov = own.coverage.as_ref().expect("coverage");
        assert!(
            cov.covered.iter().any(|r| r.by == "claim (signed)"),
            "{ext}: {:?}",
            cov.covered
        );
        assert_eq!(cov.unprotected_bytes, 0, "{ext}");
        if ext == "gif" {
            let (start, end) = c2pa_gif_block(&d);
            assert!(cov
                .covered
                .iter()
                .filter(|r| r.by == "claim (signed)")
                .all(|r| r.start >= start as u64 && r.end <= end as u64));
        }
    }
}

#[test]
fn gif_and_tiff_signed_over_a_signed_parent_are_judged_by_the_own_path() {
    for ext in ["gif", "tiff"] {
        let parent = signed(ext);
        let (leaf, root) = acme_chain();
        let d = sign_with_parent(
            &parent,
            ext,
            &manifest_json(&format!("edited.{ext}"), "Acme Edit", None, None),
            &[&leaf, &root],
        );
        let (own, _) = judge(&d, ext, "with parent");
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{ext}");
        assert_eq!(own.ingredients.len(), 1, "{ext}");
    }
}

/// A changed pixel byte is `tampered` on both paths; the own path reports the data-hash
/// mismatch itself.
#[test]
fn a_changed_pixel_is_tampered_on_both_paths() {
    // GIF: the first byte of the image's first LZW sub-block
    let gif = signed("gif");
    let image = *own_path::gif_blocks(&gif).last().unwrap();
    assert_eq!(image.2, 0x2c, "the image descriptor");
    let lzw_start = image.0;
    let packed = gif[lzw_start + 9];
    let table = if packed & 0x80 != 0 {
        3 << ((packed & 7) + 1)
    } else {
        0
    };
    let mut changed_gif = gif.clone();
    changed_gif[lzw_start + 10 + table + 2] ^= 0x01;
    // TIFF: a byte of the uncompressed pixel rows
    let tiff = signed("tiff");
    let row: Vec<u8> = pixels().as_raw()[64 * 3 * 20..64 * 3 * 21].to_vec();
    let at = tiff
        .windows(row.len())
        .position(|w| w == row.as_slice())
        .expect("pixel row in the TIFF");
    let mut changed_tiff = tiff.clone();
    changed_tiff[at + 30] ^= 0x01;
    for (ext, d) in [("gif", changed_gif), ("tiff", changed_tiff)] {
        let (own, sdk) = judge(&d, ext, "a changed pixel");
        assert_eq!(sdk.verdict, Verdict::Tampered, "{ext}: {}", sdk.summary);
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{ext}");
        assert!(
            own.codes().any(|c| c == "assertion.dataHash.mismatch"),
            "{ext}"
        );
    }
}

/// The GIF walk changed before and at the store ([`own_path::gif_mutants`]): each byte up to
/// the C2PA block's data, its sub-block lengths, a stray byte, a comment, an unknown extension
/// or an image before the store, a second store, cuts. The report is the SDK's whichever path
/// judged (the SDK finds no store after an image, fails on an unknown label, reads only the
/// first C2PA block).
#[test]
fn gif_block_mutants_get_the_sdk_report() {
    let cases = own_path::gif_mutants(&signed("gif"));
    let judged = own_judged(&cases, "gif");
    eprintln!(
        "{} GIF mutants, {judged} judged by the own path",
        cases.len()
    );
    assert!(cases.len() > 40, "{} mutants", cases.len());
    // a changed byte in a hashed block header is a data-hash mismatch the own path reports
    assert!(judged > 0, "the own path judged none of the mutants");
}

/// The TIFF walk changed ([`own_path::tiff_mutants`]): every IFD entry's tag made the C2PA
/// tag, SubIFDs, EXIF or GPS pointer, its type, count and value changed, the entry count and
/// the next-IFD pointer changed (a loop, past the end). The report is the SDK's whichever path
/// judged.
#[test]
fn tiff_ifd_mutants_get_the_sdk_report() {
    let cases = own_path::tiff_mutants(&signed("tiff"));
    let judged = own_judged(&cases, "tiff");
    eprintln!(
        "{} TIFF mutants, {judged} judged by the own path",
        cases.len()
    );
    assert!(cases.len() > 100, "{} mutants", cases.len());
    assert!(judged > 0, "the own path judged none of the mutants");
}

/// A data-hash exclusion reaching beyond the GIF's C2PA block leaves image bytes outside the
/// signature. With the block located, provcheck's own check reports it on both paths, as for
/// JPEG, PNG and WebP (c2pa 0.90.22 alone reports the file intact); an exclusion that is
/// exactly the block is intact and judged by the own path.
#[test]
fn a_data_hash_exclusion_beyond_the_gif_block_is_tampered() {
    let plain = encode(image::ImageFormat::Gif);
    // the store goes where c2pa puts it: after the screen descriptor and its colour table
    let at = 13
        + if plain[10] & 0x80 != 0 {
            3 << ((plain[10] & 7) + 1)
        } else {
            0
        };
    let embed = |store: &[u8]| {
        let mut block = vec![0x21, 0xff, 0x0b];
        block.extend(b"C2PA_GIF\x01\x00\x00");
        for c in store.chunks(255) {
            block.push(c.len() as u8);
            block.extend(c);
        }
        block.push(0);
        (insert(&plain, at, &block), at as u64, block.len() as u64)
    };
    let (leaf, root) = acme_chain();
    let sign = |exclusion: fn(u64, u64) -> (u64, u64)| {
        sign_embedded_with_exclusion(&definition("gif"), &[&leaf, &root], embed, exclusion).unwrap()
    };
    let exact = sign(|start, len| (start, len));
    let (own, _) = judge(&exact, "gif", "the exclusion is the block");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert_eq!(own.verdict, Verdict::Untrusted, "{}", own.summary);

    // the image after the block excluded as well, then changed
    let wide = sign(|start, len| (start, len + 40));
    let (_, end) = c2pa_gif_block(&wide);
    let mut changed = wide.clone();
    changed[end + 20] ^= 0x01;
    for (what, d) in [("wide exclusion", wide), ("changed in it", changed)] {
        let (own, sdk) = judge(&d, "gif", what);
        assert_eq!(own.verdict, Verdict::Tampered, "{what}: {}", own.summary);
        assert!(
            own.codes().any(|c| c == "assertion.dataHash.mismatch"),
            "{what}"
        );
        // the SDK's own hash check passes: the failure is provcheck's check of the exclusion
        assert!(
            success_codes(&sdk).contains(&"assertion.dataHash.match".to_string()),
            "{what}"
        );
    }
}
