//! provcheck's own hard-binding checks, for what c2pa 0.90.22 does not do, and the coverage
//! map (which bytes of the file the signature and the hashes protect).
//!
//! * Data hash (C2PA 2.x "Data hash"): exclusions are for the manifest store itself. An
//!   exclusion reaching beyond it leaves those bytes outside the signature; c2pa 0.91 reports
//!   this as `assertion.dataHash.mismatch`, and so does provcheck.
//! * Multi-asset hash (C2PA 2.2 "Multi-asset hash", "Data hash part"): the file is a sequence of
//!   parts, each hashed by its own `c2pa.hash.data.part`; a part may be optional (an Android
//!   Motion Photo's video). Required parts must be present and verify, present optional parts
//!   must verify, and no byte may follow the last present part; a missing optional part is
//!   reported as such, not as tampering. c2pa 0.90.22 does not implement it (it then reports a
//!   false `assertion.dataHash.mismatch` for the whole-file data hash, c2pa-rs issue #1890).
//! * Box hash: bytes after the end of the image (JPEG EOI, PNG IEND) belong to no box and are
//!   covered by no hash; they are counted and reported.

use super::container::{jpeg, png};
use super::jumbf::{base_label, digest, Problem, RawManifest};
use super::locate::{self, Located};
use super::sniff::Format;
use crate::report::{CoverageInfo, CoveredRange};

/// What the binding checks found for the active manifest.
#[derive(Clone, Debug, Default)]
pub struct BindingCheck {
    /// Integrity failures.
    pub failures: Vec<Problem>,
    /// Facts worth reporting that are not failures (missing optional part, unprotected bytes).
    pub notes: Vec<Problem>,
    /// The multi-asset hash verified: every required part present and intact, no stray bytes.
    pub multi_asset_verified: bool,
    pub coverage: Option<CoverageInfo>,
}

fn p(code: &'static str, m: &RawManifest, url: Option<String>, text: String) -> Problem {
    Problem {
        code,
        manifest: Some(m.label.clone()),
        url,
        explanation: text,
    }
}

/// Ranges `(start, end)` sorted and merged.
fn merge(mut v: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    v.retain(|(s, e)| s < e);
    v.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::new();
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// `whole` minus `holes` (both sorted/merged or not).
fn subtract(whole: (u64, u64), holes: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut at = whole.0;
    for &(s, e) in &merge(holes.to_vec()) {
        if e <= at || s >= whole.1 {
            continue;
        }
        if s > at {
            out.push((at, s.min(whole.1)));
        }
        at = at.max(e);
    }
    if at < whole.1 {
        out.push((at, whole.1));
    }
    out
}

fn total(v: &[(u64, u64)]) -> u64 {
    v.iter().map(|(s, e)| e - s).sum()
}

/// Metadata segments/chunks a signer may exclude from a data-hash *part* (the Motion Photo
/// keeps its part directory in XMP/EXIF, which changes when an optional part is dropped).
fn metadata_ranges(data: &[u8], format: Format) -> Vec<(u64, u64)> {
    match format {
        Format::Jpeg => jpeg::segments(data)
            .filter(|s| (0xe1..=0xef).contains(&s.marker) && s.marker != 0xeb)
            .map(|s| (s.start as u64, s.end as u64))
            .collect(),
        Format::Png => png::whole_chunks(data)
            .filter(|c| matches!(&c.kind, b"tEXt" | b"iTXt" | b"zTXt" | b"eXIf"))
            .map(|c| (c.start as u64, c.end as u64))
            .collect(),
        _ => Vec::new(),
    }
}

fn inside_any(r: (u64, u64), ranges: &[(u64, u64)]) -> bool {
    ranges.iter().any(|&(s, e)| r.0 >= s && r.1 <= e)
}

/// Run the checks on the active manifest `m` of a file.
pub fn check(data: &[u8], format: Format, m: &RawManifest, loc: Option<&Located>) -> BindingCheck {
    let mut out = BindingCheck::default();
    let len = data.len() as u64;
    let carriers: Vec<(u64, u64)> = loc.map(|l| l.carriers.clone()).unwrap_or_default();
    let mut covered: Vec<CoveredRange> = Vec::new();
    let mut unprotected: Vec<(u64, u64)> = Vec::new();
    let mut binding: Option<&'static str> = None;

    if let Some(parts) = &m.multi_asset {
        binding = Some("multi-asset");
        let metadata = metadata_ranges(data, format);
        let mut ok = !parts.is_empty();
        let mut present_end = 0u64;
        for (i, part) in parts.iter().enumerate() {
            let url = part
                .assertion
                .as_ref()
                .map(|l| format!("self#jumbf=/c2pa/{}/c2pa.assertions/{l}", m.label));
            let end = part.offset.saturating_add(part.length);
            if part.offset >= len && part.length > 0 {
                if part.optional {
                    out.notes.push(p(
                        crate::codes::MULTI_ASSET_OPTIONAL_PART_MISSING,
                        m,
                        url,
                        format!(
                            "optional part {i} ({} bytes at offset {}) is not in the file: it was removed after signing, which the signer allowed",
                            part.length, part.offset
                        ),
                    ));
                } else {
                    ok = false;
                    out.failures.push(p(
                        crate::codes::MULTI_ASSET_REQUIRED_PART_MISSING,
                        m,
                        url,
                        format!(
                            "required part {i} ({} bytes at offset {}) is missing",
                            part.length, part.offset
                        ),
                    ));
                }
                continue;
            }
            if end > len {
                ok = false;
                out.failures.push(p(
                    crate::codes::MULTI_ASSET_MISMATCH,
                    m,
                    url,
                    format!("part {i} ends at {end}, beyond the end of the file ({len} bytes)"),
                ));
                continue;
            }
            present_end = present_end.max(end);
            // exclusions are relative to the part's start
            let excl: Vec<(u64, u64)> = part
                .exclusions
                .iter()
                .map(|&(s, l)| {
                    let s = part.offset.saturating_add(s);
                    (s, s.saturating_add(l))
                })
                .collect();
            for &(s, e) in &excl {
                let allowed =
                    e <= end && (inside_any((s, e), &carriers) || inside_any((s, e), &metadata));
                if !allowed {
                    ok = false;
                    out.failures.push(p(
                        "assertion.dataHash.mismatch",
                        m,
                        url.clone(),
                        format!("part {i} excludes bytes {s}..{e}, which are neither the manifest store nor a metadata segment: those bytes are not protected by the signature"),
                    ));
                }
            }
            let ranges = subtract((part.offset, end), &excl);
            let slices: Vec<&[u8]> = ranges
                .iter()
                .filter_map(|&(s, e)| data.get(s as usize..e as usize))
                .collect();
            let alg = part.alg.as_deref().unwrap_or(&m.alg);
            match (digest(alg, &slices), &part.hash) {
                (Some(d), Some(h)) if &d == h => {
                    for &(s, e) in &ranges {
                        covered.push(CoveredRange {
                            start: s,
                            end: e,
                            by: format!("multi-asset part {i}"),
                        });
                    }
                    unprotected.extend(excl.iter().copied().filter(|r| !inside_any(*r, &carriers)));
                }
                _ => {
                    ok = false;
                    out.failures.push(p(
                        crate::codes::MULTI_ASSET_MISMATCH,
                        m,
                        url,
                        format!(
                            "part {i} ({} bytes at offset {}) does not match its hash: it changed after signing",
                            part.length, part.offset
                        ),
                    ));
                }
            }
        }
        // gaps between parts and bytes after the last present part are covered by nothing
        let part_ranges: Vec<(u64, u64)> = parts
            .iter()
            .filter(|pt| pt.offset < len)
            .map(|pt| (pt.offset, pt.offset.saturating_add(pt.length).min(len)))
            .collect();
        let stray = subtract((0, len), &part_ranges);
        if present_end < len || !stray.is_empty() {
            ok = false;
            out.failures.push(p(
                crate::codes::MULTI_ASSET_MISMATCH,
                m,
                None,
                format!(
                    "{} bytes of the file belong to no part of the multi-asset hash (e.g. data appended after the last part)",
                    total(&stray)
                ),
            ));
            unprotected.extend(stray);
        }
        out.multi_asset_verified = ok;
    } else if m
        .hard_bindings
        .iter()
        .any(|l| base_label(l) == "c2pa.hash.data")
    {
        binding = Some("data-hash");
        let excl: Vec<(u64, u64)> = m
            .data_hash_exclusions
            .iter()
            .map(|&(s, l)| (s, s.saturating_add(l).min(len)))
            .collect();
        if let Some(problem) = exclusion_problem(&excl, &carriers) {
            out.failures.push(p(
                "assertion.dataHash.mismatch",
                m,
                None,
                format!("{problem}: those bytes are not protected by the signature (provcheck's own check; c2pa 0.91 reports the same)"),
            ));
        }
        for (s, e) in subtract((0, len), &excl) {
            covered.push(CoveredRange {
                start: s,
                end: e,
                by: "c2pa.hash.data".into(),
            });
        }
        // Without the store's carriers (a format read::locate does not read, or a layout it
        // does not prove) the exclusions are taken to be the store itself, as the c2pa SDK
        // does.
        if !carriers.is_empty() {
            unprotected.extend(subtract((0, len), &covered_and(&covered, &carriers)));
        }
    } else if m
        .hard_bindings
        .iter()
        .any(|l| base_label(l) == "c2pa.hash.boxes")
    {
        binding = Some("box-hash");
        if let Some(end) = locate::container_end(data, format) {
            let lists_end = m.box_hash.as_ref().is_some_and(|b| {
                b.iter()
                    .flat_map(|e| e.names.iter())
                    .any(|n| n == "EOI" || n == "IEND")
            });
            if lists_end {
                for (s, e) in subtract((0, end), &carriers) {
                    covered.push(CoveredRange {
                        start: s,
                        end: e,
                        by: "c2pa.hash.boxes".into(),
                    });
                }
            }
            if end < len {
                unprotected.push((end, len));
            }
        }
    } else if !m.hard_bindings.is_empty() {
        binding = Some("other");
    }

    // the manifest's own bytes: the claim is signed, the assertions hashed by the claim
    if let Some(l) = loc {
        if let Some(r) = &m.claim_range {
            for (s, e) in l.file_ranges(r.clone()) {
                covered.push(CoveredRange {
                    start: s,
                    end: e,
                    by: "claim (signed)".into(),
                });
            }
        }
        for (label, r) in &m.assertion_ranges {
            if m.referenced.contains(label) {
                for (s, e) in l.file_ranges(r.clone()) {
                    covered.push(CoveredRange {
                        start: s,
                        end: e,
                        by: format!(
                            "assertion {} (hashed in the claim)",
                            crate::report::bounded(label, 80)
                        ),
                    });
                }
            }
        }
    }
    let unprotected = merge(unprotected);
    let unprotected_bytes = total(&unprotected);
    if unprotected_bytes > 0 {
        out.notes.push(p(
            crate::codes::BINDING_UNPROTECTED_BYTES,
            m,
            None,
            format!(
                "{unprotected_bytes} byte(s) of the file are covered by no signature or hash (first at offset {})",
                unprotected.first().map(|r| r.0).unwrap_or(0)
            ),
        ));
    }
    covered.sort_by_key(|c| (c.start, c.end));
    out.coverage = binding.map(|b| CoverageInfo {
        binding: b.into(),
        file_size: len,
        covered,
        unprotected: unprotected
            .iter()
            .map(|&(s, e)| CoveredRange {
                start: s,
                end: e,
                by: "nothing".into(),
            })
            .collect(),
        unprotected_bytes,
    });
    out
}

fn covered_and(covered: &[CoveredRange], carriers: &[(u64, u64)]) -> Vec<(u64, u64)> {
    covered
        .iter()
        .map(|c| (c.start, c.end))
        .chain(carriers.iter().copied())
        .collect()
}

/// `Some(description)` when a data-hash exclusion covers bytes outside the manifest store's
/// carriers: each exclusion must lie inside one run of carriers (adjacent carriers, such as a
/// JPEG store's contiguous APP11 segments, form one run). Only judged when the carriers are
/// known (the formats read::locate reads, where the store's byte ranges are unambiguous). A
/// TIFF has two runs apart: the C2PA IFD entry, whose count field c2pa's writer excludes, and
/// the store's data.
fn exclusion_problem(excl: &[(u64, u64)], carriers: &[(u64, u64)]) -> Option<String> {
    if excl.is_empty() || carriers.is_empty() {
        return None;
    }
    let runs = merge(carriers.to_vec());
    for &(start, end) in excl {
        if !inside_any((start, end), &runs) {
            let at: Vec<String> = runs.iter().map(|(s, e)| format!("{s}..{e}")).collect();
            return Some(format!(
                "the data-hash exclusion {start}..{end} extends beyond the manifest store at {}",
                at.join(" and ")
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusion_equal_to_the_manifest_segment_is_fine() {
        assert_eq!(exclusion_problem(&[(10, 50)], &[(10, 50)]), None);
    }

    #[test]
    fn exclusion_reaching_into_exif_is_reported() {
        let problem = exclusion_problem(&[(0, 50)], &[(10, 50)]);
        assert!(problem.unwrap().contains("beyond the manifest store"));
    }

    #[test]
    fn exclusions_must_lie_in_one_run_of_carriers() {
        // contiguous APP11 segments are one run
        assert_eq!(exclusion_problem(&[(10, 90)], &[(10, 50), (50, 90)]), None);
        // a TIFF's C2PA entry and its data, apart: each may be excluded, not what lies between
        let tiff = [(100, 112), (500, 900)];
        assert_eq!(exclusion_problem(&[(104, 108), (500, 900)], &tiff), None);
        let problem = exclusion_problem(&[(104, 900)], &tiff).unwrap();
        assert!(problem.ends_with("at 100..112 and 500..900"), "{problem}");
        // a store split around a segment that is not the store's
        assert!(exclusion_problem(&[(10, 90)], &[(10, 40), (60, 90)]).is_some());
    }

    #[test]
    fn subtract_and_merge() {
        assert_eq!(
            subtract((0, 10), &[(2, 4), (3, 5), (8, 20)]),
            vec![(0, 2), (5, 8)]
        );
        assert_eq!(merge(vec![(5, 6), (0, 2), (1, 3)]), vec![(0, 3), (5, 6)]);
    }
}
