//! Hostile inputs: known c2pa 0.90.22 blow-ups must come back as `error`, fast and small.
//! Kept in its own test binary so the peak-memory reading is not shared with other tests.

use crate::common::corpus as test_support;

use std::time::{Duration, Instant};

use provcheck::{Verdict, Verifier, VerifierOptions};

/// Peak resident set size of this process so far (Linux `VmHWM`), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[test]
fn tiff_subfile_bomb_is_an_error_in_under_a_second_and_100_mb() {
    let Some(p) = test_support::corpus_file(
        "tiff_subfile_bomb_is_an_error_in_under_a_second_and_100_mb",
        "conformance/tiff/tiff_poc.tiff",
    ) else {
        return;
    };
    let v = Verifier::new(VerifierOptions::default()).unwrap();
    let before = peak_rss_kib().unwrap_or(0);
    let t = Instant::now();
    let r = v.verify_path(&p);
    let elapsed = t.elapsed();
    let after = peak_rss_kib().unwrap_or(0);
    assert_eq!(r.verdict, Verdict::Error, "{:?}", r.reasons);
    assert!(r.codes().any(|c| c == "provcheck.asset.hostile"));
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    // c2pa 0.90.19 needed 114 s and 1.1 GB for this file
    assert!(
        after < 100 * 1024 || after - before < 100 * 1024,
        "peak RSS {after} KiB"
    );
}

#[test]
fn size_cap_gives_a_clear_error() {
    let v = Verifier::new({
        let mut o = VerifierOptions::default();
        o.max_file_size = 1000;
        o
    })
    .unwrap();
    let r = v.verify_bytes(&vec![0xffu8; 5000], Some("big.jpg"));
    assert_eq!(r.verdict, Verdict::Error);
    let reason = r
        .reasons
        .iter()
        .find(|x| x.code == "provcheck.limit.size")
        .unwrap();
    assert!(reason.explanation.contains("over the limit"));
}

#[test]
fn random_bytes_in_every_container_never_panic() {
    let v = Verifier::new(VerifierOptions::default()).unwrap();
    let heads: [&[u8]; 6] = [
        b"\xff\xd8\xff\xe0",
        b"\x89PNG\r\n\x1a\n",
        b"II*\x00\x08\x00\x00\x00",
        b"RIFF\x10\x00\x00\x00WEBP",
        b"\x00\x00\x00\x18ftypheic",
        b"GIF89a",
    ];
    let mut seed = 0x2545f4914f6cdd1du64;
    for i in 0..600 {
        let mut data = heads[i % heads.len()].to_vec();
        for _ in 0..(i * 7 % 2000) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            data.push(seed as u8);
        }
        let r = v.verify_bytes(&data, Some("x.bin"));
        assert!(
            matches!(r.verdict, Verdict::Error | Verdict::Unsigned),
            "{}: {:?}",
            r.verdict,
            r.reasons
        );
    }
}
