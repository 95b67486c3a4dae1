//! provcheck's own validation path on BMFF files (issue 14: HEIC/AVIF, and MP4 video): a small
//! MP4 and a small HEIF-branded file built here, signed at run time by c2pa's `Builder` with
//! throw-away keys (a BMFF hash), then changed. The own path must judge the intact ones itself
//! with the SDK's report (the BMFF hash is checked by the SDK's own `BmffHash`), and every
//! changed one must get the SDK's report whichever path judged it.

use crate::common;
use crate::own_path;

use common::*;
use provcheck::{Report, Verdict};

/// A box with a 32-bit size.
fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend(kind);
    b.extend(payload);
    b
}

/// `ftyp` with `brand`, a movie header (`moov`/`mvhd`, version 0, time scale 1000, rate 1.0,
/// volume 1.0, the identity matrix) and 4 KiB of media data (`mdat`).
fn plain(brand: &[u8; 4]) -> Vec<u8> {
    let mut ftyp = brand.to_vec();
    ftyp.extend(0u32.to_be_bytes());
    ftyp.extend(brand);
    ftyp.extend(b"isom");
    let mut mvhd = vec![0u8; 4]; // version, flags
    mvhd.extend([0u8; 8]); // creation, modification time
    mvhd.extend(1000u32.to_be_bytes());
    mvhd.extend(0u32.to_be_bytes()); // duration
    mvhd.extend(0x0001_0000u32.to_be_bytes()); // rate
    mvhd.extend(0x0100u16.to_be_bytes()); // volume
    mvhd.extend([0u8; 10]);
    for m in [0x0001_0000u32, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] {
        mvhd.extend(m.to_be_bytes());
    }
    mvhd.extend([0u8; 24]); // pre_defined
    mvhd.extend(2u32.to_be_bytes()); // next track id
    let media: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    [
        bx(b"ftyp", &ftyp),
        bx(b"moov", &bx(b"mvhd", &mvhd)),
        bx(b"mdat", &media),
    ]
    .concat()
}

/// The plain file of `ext` ("mp4", "heic") signed by c2pa's `Builder`.
fn signed(ext: &str) -> Vec<u8> {
    let brand = if ext == "heic" { b"heic" } else { b"mp42" };
    let (leaf, root) = acme_chain();
    let def = manifest_json(
        &format!("clip.{ext}"),
        "Acme Imagine",
        Some("Acme Imagine"),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    );
    sign(&plain(brand), ext, &def, &[&leaf, &root])
}

fn judge(d: &[u8], ext: &str, what: &str) -> (Report, Report) {
    own_path::judge(d, &format!("clip.{ext}"), what)
}

/// As [`own_path::judge_changed`] for `d` named after `ext`.
fn judge_changed(d: &[u8], ext: &str, what: &str) -> Report {
    own_path::judge_changed(d, &format!("clip.{ext}"), what)
}

#[test]
fn signed_mp4_and_heic_are_judged_by_the_own_path() {
    for ext in ["mp4", "heic"] {
        let d = signed(ext);
        let (own, _) = judge(&d, ext, ext);
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{ext}");
        assert_eq!(own.verdict, Verdict::Untrusted, "{ext}: a throw-away root");
        assert!(
            own_path::status_codes(&own, "success").contains(&"assertion.bmffHash.match".into()),
            "{ext}"
        );
    }
}

/// A changed byte of the media data, of the movie header, or a media box appended after signing
/// (not a `free` or `skip` box: the SDK's default exclusions, `BmffHash::set_default_exclusions`,
/// leave those top-level boxes out of the hash): `tampered` on both paths (the SDK reports the BMFF hash mismatch; the own path declines a
/// hash that does not verify and gives the SDK's report).
#[test]
fn a_changed_mp4_is_tampered_on_both_paths() {
    let d = signed("mp4");
    let mdat = d.windows(4).rposition(|w| w == b"mdat").unwrap();
    let mvhd = d.windows(4).position(|w| w == b"mvhd").unwrap();
    let mut media = d.clone();
    media[mdat + 100] ^= 0x01;
    let mut header = d.clone();
    header[mvhd + 20] ^= 0x01;
    let mut appended = d.clone();
    appended.extend(bx(b"mdat", b"added after signing"));
    for (what, m) in [
        ("media byte", media),
        ("movie header byte", header),
        ("media box appended", appended),
    ] {
        let r = judge_changed(&m, "mp4", what);
        assert_eq!(r.verdict, Verdict::Tampered, "{what}: {}", r.summary);
        assert!(
            r.codes().any(|c| c == "assertion.bmffHash.mismatch"),
            "{what}: {:?}",
            r.codes().collect::<Vec<_>>()
        );
    }
}

/// A second C2PA box (the SDK refuses a file with two stores) and a forged copy whose claim
/// names another generator: never `authentic`, and the SDK's report either way.
#[test]
fn a_second_store_or_a_changed_claim_is_not_authentic() {
    let d = signed("mp4");
    let uuid = d.windows(4).position(|w| w == b"uuid").unwrap() - 4;
    let size = u32::from_be_bytes(d[uuid..uuid + 4].try_into().unwrap()) as usize;
    let mut twice = d.clone();
    twice.extend(d[uuid..uuid + size].to_vec());
    let r = judge_changed(&twice, "mp4", "two stores");
    assert_eq!(r.verdict, Verdict::Error, "{}", r.summary);
    // the claim generator's name changed in the signed claim (same length)
    let name = d
        .windows(12)
        .position(|w| w == b"Acme Imagine")
        .expect("generator name");
    let mut forged = d.clone();
    forged[name..name + 12].copy_from_slice(b"OpenAI DALLE");
    let r = judge_changed(&forged, "mp4", "claim changed");
    assert_ne!(r.verdict, Verdict::Authentic, "{}", r.summary);
    assert_ne!(r.verdict, Verdict::Mismatched, "{}", r.summary);
}

/// The box mutants of the differential test ([`own_path::bmff_mutants`]) on the files made here,
/// which runs without the corpus: the report is the SDK's whichever path judged.
#[test]
fn bmff_box_mutants_of_signed_files_get_the_sdk_report() {
    for ext in ["mp4", "heic"] {
        let cases = own_path::bmff_mutants(&signed(ext));
        assert!(cases.len() > 20, "{ext}: {} mutants", cases.len());
        let judged = cases
            .iter()
            .filter(|(what, m)| {
                judge_changed(m, ext, what).validated_by.as_deref() == Some("provcheck")
            })
            .count();
        eprintln!(
            "{ext}: {} box mutants, {judged} judged by the own path",
            cases.len()
        );
    }
}
