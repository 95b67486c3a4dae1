//! Differential test of provcheck's own validation path against the c2pa SDK (issue 14): the
//! SDK is the oracle. For every corpus file and the bundled samples, the report with the own path
//! on must equal the report with the SDK judging every file, field for field, apart from
//! `validated_by`; and for seeded one-byte mutants of every file the own path verifies, the
//! verdict and failure codes must be the SDK's.
//!
//! Needs `../shared/corpus` (skips loudly without it; fails with `PROVCHECK_REQUIRE_CORPUS=1`);
//! the samples run either way. `PROVCHECK_DIFFERENTIAL_EXTRA=DIR[:DIR...]` adds folders.

use crate::common::corpus as test_support;
use crate::own_path;

use own_path::{comparable, Mutants};

use std::path::{Path, PathBuf};

use provcheck::Verifier;
use rayon::prelude::*;
use serde_json::Value;

fn verifier(own_path: bool) -> Verifier {
    own_path::verifier(own_path, own_path::fixed_time())
}

/// The top-level fields that differ, each with both values.
fn describe(a: &Value, b: &Value) -> String {
    let mut out = String::new();
    for (k, va) in a.as_object().unwrap() {
        let vb = b.get(k).unwrap_or(&Value::Null);
        if va != vb {
            out.push_str(&format!("  {k}:\n    own: {va}\n    sdk: {vb}\n"));
        }
    }
    for (k, vb) in b.as_object().unwrap() {
        if a.get(k).is_none() {
            out.push_str(&format!("  {k}: only in the SDK's report: {vb}\n"));
        }
    }
    out
}

/// The samples, the corpus, and the folders named in `PROVCHECK_DIFFERENTIAL_EXTRA` (separated
/// by `:`; e.g. another project's test files, to run this oracle over them by hand).
fn all_files() -> Vec<PathBuf> {
    let mut out = test_support::media_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"));
    if let Some(c) = test_support::corpus("own_path_reports_equal_the_sdk_reports") {
        out.extend(test_support::media_files(&c));
    }
    if let Some(extra) = std::env::var_os("PROVCHECK_DIFFERENTIAL_EXTRA") {
        for dir in std::env::split_paths(&extra) {
            let found = test_support::media_files(&dir);
            assert!(
                !found.is_empty(),
                "PROVCHECK_DIFFERENTIAL_EXTRA: no files in {}",
                dir.display()
            );
            out.extend(found);
        }
    }
    out
}

#[test]
fn own_path_reports_equal_the_sdk_reports() {
    let own = verifier(true);
    let sdk = verifier(false);
    let results: Vec<(PathBuf, bool, Option<String>)> = all_files()
        .par_iter()
        .filter_map(|p| {
            let data = std::fs::read(p).ok()?;
            if data.len() > 64 << 20 {
                return None;
            }
            let name = p.file_name().and_then(|n| n.to_str());
            let a = own.verify_bytes(&data, name);
            let b = sdk.verify_bytes(&data, name);
            assert_ne!(b.validated_by.as_deref(), Some("provcheck"));
            let fast = a.validated_by.as_deref() == Some("provcheck");
            let (ja, jb) = (comparable(&a), comparable(&b));
            let diff = (ja != jb).then(|| describe(&ja, &jb));
            Some((p.clone(), fast, diff))
        })
        .collect();
    let fast = results.iter().filter(|r| r.1).count();
    let differing: Vec<_> = results.iter().filter(|r| r.2.is_some()).collect();
    eprintln!(
        "{} files, {} judged by provcheck's own path, {} differ",
        results.len(),
        fast,
        differing.len()
    );
    for (p, fast, d) in &differing {
        eprintln!(
            "== {} (own path: {})\n{}",
            p.display(),
            fast,
            d.as_deref().unwrap_or_default()
        );
    }
    assert!(differing.is_empty(), "{} reports differ", differing.len());
    // the bundled sample alone is one file; the corpus must exercise the path
    if test_support::corpus("own_path_reports_equal_the_sdk_reports").is_some() {
        assert!(fast >= 10, "only {fast} files took the own path");
    }
}

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Mutants per file the own path judges.
const MUTANTS: usize = 300;

/// One byte changed anywhere in a file the own path judges (uniformly over the file, so also in
/// the bytes no hash covers: the manifest's padding, excluded ranges, the store's unhashed
/// boxes): the report must be the SDK's, field for field. Most mutants make the own path
/// decline (the SDK then judges); the ones it still verifies are the interesting ones.
#[test]
fn mutants_get_the_sdk_report() {
    let own = verifier(true);
    let sdk = verifier(false);
    let judged: Vec<(PathBuf, Vec<u8>)> = all_files()
        .into_iter()
        .filter_map(|p| {
            let data = std::fs::read(&p).ok()?;
            if data.len() > 64 << 20 {
                return None;
            }
            let r = own.verify_bytes(&data, p.file_name().and_then(|n| n.to_str()));
            (r.validated_by.as_deref() == Some("provcheck")).then_some((p, data))
        })
        .collect();
    if test_support::corpus("mutants_get_the_sdk_report").is_some() {
        assert!(judged.len() >= 10, "only {} files", judged.len());
    }
    let results: Vec<(usize, usize, Vec<String>)> = judged
        .par_iter()
        .enumerate()
        .map(|(fi, (path, data))| {
            let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (fi as u64 + 1);
            let name = path.file_name().and_then(|n| n.to_str());
            let (mut still_own, mut bad) = (0, Vec::new());
            // half of the mutants anywhere, half in the bytes no hash or signature covers
            // (the manifest store's own structure, exclusions): where a lenient reader and the
            // SDK's parser could disagree
            let covered: Vec<(u64, u64)> = sdk
                .verify_bytes(data, name)
                .coverage
                .map(|c| c.covered.iter().map(|r| (r.start, r.end)).collect())
                .unwrap_or_default();
            let uncovered: Vec<usize> = (0..data.len())
                .filter(|&i| {
                    !covered
                        .iter()
                        .any(|&(s, e)| (i as u64) >= s && (i as u64) < e)
                })
                .collect();
            for k in 0..MUTANTS {
                let mut m = data.clone();
                let at = if k % 2 == 1 && !uncovered.is_empty() {
                    uncovered[(next(&mut seed) % uncovered.len() as u64) as usize]
                } else {
                    (next(&mut seed) % m.len() as u64) as usize
                };
                let flip = (next(&mut seed) % 255 + 1) as u8;
                m[at] ^= flip;
                let a = own.verify_bytes(&m, name);
                let b = sdk.verify_bytes(&m, name);
                if a.validated_by.as_deref() == Some("provcheck") {
                    still_own += 1;
                }
                let (ja, jb) = (comparable(&a), comparable(&b));
                if ja != jb {
                    bad.push(format!(
                        "{} byte {at} ^= {flip:#04x} (own path: {:?}):\n{}",
                        path.display(),
                        a.validated_by,
                        describe(&ja, &jb)
                    ));
                }
            }
            (MUTANTS, still_own, bad)
        })
        .collect();
    let total: usize = results.iter().map(|r| r.0).sum();
    let own_judged: usize = results.iter().map(|r| r.1).sum();
    let bad: Vec<&String> = results.iter().flat_map(|r| &r.2).collect();
    eprintln!(
        "{total} mutants of {} files; {own_judged} still judged by the own path; {} differ",
        judged.len(),
        bad.len()
    );
    for b in bad.iter().take(20) {
        eprintln!("{b}");
    }
    assert!(
        bad.is_empty(),
        "{} mutants got a different report",
        bad.len()
    );
}

/// Which files of a kind [`container_mutants_differ`] changes.
#[derive(Clone, Copy, PartialEq)]
enum Taken {
    /// Those the own path judges (the mutants test where it must decline or agree).
    ByOwnPath,
    /// All of them (a reading provcheck does itself for files the SDK judges, e.g. PDFs).
    All,
}

/// The reports of container mutants: for each file of `all_files()` that starts as `is_kind`
/// says (and that the own path judges, with [`Taken::ByOwnPath`]), each mutant `mutants`
/// makes of it, own path against SDK; one description per difference. `None` when the corpus
/// is absent and none of the samples is of the kind (the corpus helper has said so loudly).
fn container_mutants_differ(
    test: &str,
    taken: Taken,
    is_kind: fn(&[u8]) -> bool,
    mutants: fn(&[u8]) -> Mutants,
) -> Option<Vec<String>> {
    let own = verifier(true);
    let sdk = verifier(false);
    let files: Vec<(PathBuf, Vec<u8>)> = all_files()
        .into_iter()
        .filter_map(|p| {
            let data = std::fs::read(&p).ok()?;
            if data.len() > 64 << 20 || !is_kind(&data) {
                return None;
            }
            if taken == Taken::All {
                return Some((p, data));
            }
            let r = own.verify_bytes(&data, p.file_name().and_then(|n| n.to_str()));
            (r.validated_by.as_deref() == Some("provcheck")).then_some((p, data))
        })
        .collect();
    if files.is_empty() && test_support::corpus(test).is_none() {
        return None;
    }
    assert!(!files.is_empty(), "{test}: no file of this kind to change");
    let count = std::sync::atomic::AtomicUsize::new(0);
    let bad: Vec<String> = files
        .par_iter()
        .flat_map_iter(|(path, data)| {
            let name = path.file_name().and_then(|n| n.to_str());
            let mut out = Vec::new();
            let mutants = mutants(data);
            count.fetch_add(mutants.len(), std::sync::atomic::Ordering::Relaxed);
            for (what, m) in mutants {
                let (a, b) = (own.verify_bytes(&m, name), sdk.verify_bytes(&m, name));
                let (ja, jb) = (comparable(&a), comparable(&b));
                if ja != jb {
                    out.push(format!(
                        "{} {what}:\n{}",
                        path.display(),
                        describe(&ja, &jb)
                    ));
                }
            }
            out
        })
        .collect();
    eprintln!(
        "{test}: {} mutants of {} files, {} differ",
        count.into_inner(),
        files.len(),
        bad.len()
    );
    for b in bad.iter().take(10) {
        eprintln!("{b}");
    }
    Some(bad)
}

/// The JPEG header changed where the SDK's parser and a stricter walk part ways: each segment
/// before the scan given a length past the end of the file, a reserved marker (0x02-0xBF) in its
/// place, or a stray byte before it. The SDK rejects or walks such a header its own way; the own
/// path must decline it and give the SDK's report (a length past the end was once reported as
/// a data-hash mismatch where the SDK says the JPEG cannot be parsed).
#[test]
fn jpeg_header_mutants_get_the_sdk_report() {
    let bad = container_mutants_differ(
        "jpeg_header_mutants_get_the_sdk_report",
        Taken::ByOwnPath,
        |d| d.starts_with(&[0xff, 0xd8]),
        |data| {
            // the segments with a length before the first SOS
            let mut out = Vec::new();
            let mut at = 2;
            while at + 4 <= data.len() && data[at] == 0xff && data[at + 1] != 0xda {
                let mut past_end = data.to_vec();
                past_end[at + 2..at + 4].copy_from_slice(&[0xff, 0xff]);
                let mut reserved = data.to_vec();
                reserved[at + 1] = 0x50;
                let mut stray = data.to_vec();
                stray.insert(at, 0x00);
                out.push((format!("segment at {at}, length past the end"), past_end));
                out.push((format!("segment at {at}, reserved marker"), reserved));
                out.push((format!("segment at {at}, stray byte"), stray));
                at += 2 + usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
            }
            out
        },
    )
    .expect("the bundled samples include JPEGs the own path judges");
    assert!(
        bad.is_empty(),
        "{} JPEG header mutants got a different report",
        bad.len()
    );
}

/// As [`jpeg_header_mutants_get_the_sdk_report`] for PNG: each chunk given a length past the end
/// of the file, a type that is not four letters, or a stray byte before it.
#[test]
fn png_chunk_mutants_get_the_sdk_report() {
    let bad = container_mutants_differ(
        "png_chunk_mutants_get_the_sdk_report",
        Taken::ByOwnPath,
        |d| d.starts_with(b"\x89PNG\r\n\x1a\n"),
        |data| {
            let mut out = Vec::new();
            let mut at = 8;
            while at + 12 <= data.len() {
                let mut past_end = data.to_vec();
                past_end[at..at + 4].copy_from_slice(&0x7fff_fff0u32.to_be_bytes());
                let mut bad_type = data.to_vec();
                bad_type[at + 4] = b'#';
                let mut stray = data.to_vec();
                stray.insert(at, 0x00);
                out.push((format!("chunk at {at}, length past the end"), past_end));
                out.push((format!("chunk at {at}, bad chunk type"), bad_type));
                out.push((format!("chunk at {at}, stray byte"), stray));
                let len = u32::from_be_bytes(data[at..at + 4].try_into().unwrap()) as usize;
                at += 12 + len;
            }
            out
        },
    );
    if let Some(bad) = bad {
        assert!(
            bad.is_empty(),
            "{} PNG chunk mutants got a different report",
            bad.len()
        );
    }
}

/// As [`jpeg_header_mutants_get_the_sdk_report`] for WebP (RIFF): the RIFF size and each chunk's
/// size set past the end of the file, or a stray byte before a chunk.
#[test]
fn webp_chunk_mutants_get_the_sdk_report() {
    let bad = container_mutants_differ(
        "webp_chunk_mutants_get_the_sdk_report",
        Taken::ByOwnPath,
        |d| d.starts_with(b"RIFF") && d.get(8..12) == Some(b"WEBP"),
        |data| {
            let past_end = |at: usize| {
                let mut m = data.to_vec();
                m[at..at + 4].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
                m
            };
            let mut out = vec![("RIFF size past the end".to_string(), past_end(4))];
            let mut at = 12;
            while at + 8 <= data.len() {
                let mut stray = data.to_vec();
                stray.insert(at, 0x00);
                out.push((
                    format!("chunk at {at}, size past the end"),
                    past_end(at + 4),
                ));
                out.push((format!("chunk at {at}, stray byte"), stray));
                let len = u32::from_le_bytes(data[at + 4..at + 8].try_into().unwrap()) as usize;
                at += 8 + len + (len & 1);
            }
            out
        },
    );
    if let Some(bad) = bad {
        assert!(
            bad.is_empty(),
            "{} WebP chunk mutants got a different report",
            bad.len()
        );
    }
}

/// GIF blocks before and at the store broken ([`own_path::gif_mutants`]: every byte up to the
/// store's data, its sub-block lengths, blocks inserted before it, a second store, cuts) in the
/// corpus GIFs the own path judges: the locator must follow the SDK's block walk or decline.
#[test]
fn gif_block_mutants_get_the_sdk_report() {
    let bad = container_mutants_differ(
        "gif_block_mutants_get_the_sdk_report",
        Taken::ByOwnPath,
        |d| d.starts_with(b"GIF8"),
        own_path::gif_mutants,
    );
    if let Some(bad) = bad {
        assert!(
            bad.is_empty(),
            "{} GIF mutants got a different report",
            bad.len()
        );
    }
}

/// TIFF and DNG IFDs broken ([`own_path::tiff_mutants`]: every entry's tag, type, count and
/// value of every page, the entry counts, the next-IFD pointers) in the corpus files the own
/// path judges: the locator must follow the SDK's IFD walk or decline.
#[test]
fn tiff_ifd_mutants_get_the_sdk_report() {
    let bad = container_mutants_differ(
        "tiff_ifd_mutants_get_the_sdk_report",
        Taken::ByOwnPath,
        |d| d.starts_with(b"II*\0") || d.starts_with(b"MM\0*"),
        own_path::tiff_mutants,
    );
    if let Some(bad) = bad {
        assert!(
            bad.is_empty(),
            "{} TIFF mutants got a different report",
            bad.len()
        );
    }
}

/// BMFF files (HEIC, AVIF, MP4) the own path judges, their boxes broken: each top-level box and
/// each box one level inside `moov`, `meta` or `moof` given a size past the end of the file, a
/// size one byte short, another type, or a stray byte before it; the C2PA `uuid` box copied to
/// the end and before itself (two stores), and its purpose changed. The store is found and the
/// BMFF hash checked by the SDK's own code, but the own path must still decline or agree.
#[test]
fn bmff_box_mutants_get_the_sdk_report() {
    let bad = container_mutants_differ(
        "bmff_box_mutants_get_the_sdk_report",
        Taken::ByOwnPath,
        |d| d.get(4..8) == Some(b"ftyp"),
        own_path::bmff_mutants,
    );
    if let Some(bad) = bad {
        assert!(
            bad.is_empty(),
            "{} BMFF box mutants got a different report",
            bad.len()
        );
    }
}

/// PDFs are read by provcheck with one lopdf parse when the own path is on (src/read/pdf.rs),
/// by the SDK's own reading otherwise: every corpus PDF, and changed copies of each (one byte
/// flipped anywhere, in the trailer and cross-reference table, truncations, the catalog's `AF`,
/// the C2PA relationship and `Metadata` renamed, the XMP's provenance made a remote reference),
/// must get the same report both ways.
#[test]
fn pdf_mutants_get_the_sdk_report() {
    let bad = container_mutants_differ(
        "pdf_mutants_get_the_sdk_report",
        Taken::All,
        |d| d.starts_with(b"%PDF"),
        pdf_mutants,
    );
    if let Some(bad) = bad {
        assert!(
            bad.is_empty(),
            "{} PDF mutants got a different report",
            bad.len()
        );
    }
}

/// The changed copies of one PDF for [`pdf_mutants_get_the_sdk_report`].
fn pdf_mutants(data: &[u8]) -> Mutants {
    let mut seed = 0xD1B5_4A32_D192_ED03u64 ^ data.len() as u64;
    let mut out: Mutants = Vec::new();
    for k in 0..40 {
        let mut m = data.to_vec();
        // half anywhere, half in the last 2 KiB (trailer, xref, often the catalog)
        let tail = m.len().min(2048);
        let at = if k % 2 == 0 {
            (next(&mut seed) % m.len() as u64) as usize
        } else {
            m.len() - tail + (next(&mut seed) % tail as u64) as usize
        };
        let flip = (next(&mut seed) % 255 + 1) as u8;
        m[at] ^= flip;
        out.push((format!("byte {at} ^= {flip:#04x}"), m));
    }
    for cut in [
        data.len() / 2,
        data.len() - 1,
        data.len().saturating_sub(40),
    ] {
        out.push((format!("cut at {cut}"), data[..cut].to_vec()));
    }
    let edits: [(&[u8], &[u8]); 4] = [
        (b"/AF", b"/AG"),
        (b"C2PA_Manifest", b"C2PA_Manifesu"),
        (b"/Metadata", b"/Metadatb"),
        (b"dcterms:provenance=\"", b"dcterms:provenance=\"https://x/"),
    ];
    for (from, to) in edits {
        if let Some(at) = data.windows(from.len()).position(|w| w == from) {
            let mut m = data.to_vec();
            m.splice(at..at + from.len(), to.iter().copied());
            let what = format!(
                "{} -> {}",
                String::from_utf8_lossy(from),
                String::from_utf8_lossy(to)
            );
            out.push((what, m));
        }
    }
    out
}
