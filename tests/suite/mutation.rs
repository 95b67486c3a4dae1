//! Seeded mutation test (issue 15): provcheck itself says which byte ranges of a file the
//! signature and the hashes cover (`coverage`); every byte changed inside a covered range of an
//! authentic corpus file must give a non-authentic verdict. No mutant may panic, run past the
//! time limit, or come back without a report. Deterministic: the same seed picks the same bytes.
//!
//! Needs `../shared/corpus` (skips loudly without it; fails with `PROVCHECK_REQUIRE_CORPUS=1`).

use crate::common::corpus as test_support;

use std::time::{Duration, Instant};

use provcheck::{Verdict, Verifier, VerifierOptions};
use rayon::prelude::*;

/// Mutants per authentic file.
const PER_FILE: usize = 100;
const LIMIT: Duration = Duration::from_secs(5);

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn bytes_inside_covered_ranges_cannot_be_changed_unnoticed() {
    let Some(corpus) =
        test_support::corpus("bytes_inside_covered_ranges_cannot_be_changed_unnoticed")
    else {
        return;
    };
    let v = Verifier::new({
        let mut o = VerifierOptions::default();
        o.sdk_trust = false;
        o
    })
    .expect("verifier");
    let files = test_support::media_files(&corpus);
    let authentic: Vec<_> = files
        .iter()
        .filter_map(|p| {
            let data = std::fs::read(p).ok()?;
            if data.len() > 64 << 20 {
                return None;
            }
            let r = v.verify_bytes(&data, p.file_name().and_then(|n| n.to_str()));
            (r.verdict == Verdict::Authentic && r.coverage.is_some()).then_some((
                p.clone(),
                data,
                r,
            ))
        })
        .collect();
    assert!(
        authentic.len() >= 20,
        "only {} authentic corpus files with a coverage map",
        authentic.len()
    );

    let results: Vec<(String, usize, Vec<String>)> = authentic
        .par_iter()
        .enumerate()
        .map(|(fi, (path, data, report))| {
            let cov = report.coverage.as_ref().unwrap();
            let ranges: Vec<(u64, u64)> = cov.covered.iter().map(|c| (c.start, c.end)).collect();
            let total: u64 = ranges.iter().map(|(s, e)| e - s).sum();
            let mut seed = 0x9e37_79b9_7f4a_7c15u64 ^ (fi as u64 + 1);
            let mut problems = Vec::new();
            let mut count = 0;
            for _ in 0..PER_FILE {
                if total == 0 {
                    break;
                }
                // a uniformly chosen covered byte
                let mut k = next(&mut seed) % total;
                let mut at = 0u64;
                for &(s, e) in &ranges {
                    if k < e - s {
                        at = s + k;
                        break;
                    }
                    k -= e - s;
                }
                let mut m = data.clone();
                let flip = (next(&mut seed) % 255 + 1) as u8;
                m[at as usize] ^= flip;
                let t = Instant::now();
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    v.verify_bytes(&m, path.file_name().and_then(|n| n.to_str()))
                }));
                count += 1;
                let by = cov
                    .covered
                    .iter()
                    .find(|c| c.start <= at && at < c.end)
                    .map(|c| c.by.clone())
                    .unwrap_or_default();
                match outcome {
                    Err(_) => problems.push(format!("offset {at} ({by}): panicked")),
                    Ok(r) => {
                        if t.elapsed() > LIMIT {
                            problems.push(format!("offset {at} ({by}): took {:?}", t.elapsed()));
                        }
                        if r.verdict == Verdict::Authentic {
                            problems
                                .push(format!("offset {at} ({by}) ^{flip:#04x}: still authentic"));
                        }
                    }
                }
            }
            (path.display().to_string(), count, problems)
        })
        .collect();
    let mutants: usize = results.iter().map(|r| r.1).sum();
    let bad: Vec<String> = results
        .iter()
        .flat_map(|(p, _, probs)| probs.iter().map(move |x| format!("{p}: {x}")))
        .collect();
    eprintln!(
        "mutation: {mutants} mutants of {} authentic files, {} problems",
        authentic.len(),
        bad.len()
    );
    assert!(mutants >= 2000, "only {mutants} mutants");
    assert!(
        bad.is_empty(),
        "{} mutants not caught:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}
