//! Shared by the tests that hold provcheck's own validation path to the c2pa SDK's reports
//! (tests/suite/differential.rs, tests/suite/boxhash.rs, tests/suite/own_path_v2.rs).

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use provcheck::{Report, Verifier, VerifierOptions};
use serde_json::Value;

/// One fixed evaluation time for both paths, so that no explanation quotes a different clock.
pub fn fixed_time() -> DateTime<Utc> {
    "2026-11-01T00:00:00Z".parse().unwrap()
}

/// A verifier with provcheck's own path on (`own_path`) or the SDK judging every file, without
/// the SDK's trust check (which the own path does not run), judging validity at `at`.
pub fn verifier(own_path: bool, at: DateTime<Utc>) -> Verifier {
    let mut o = VerifierOptions::default();
    o.sdk_trust = false;
    o.own_path = own_path;
    o.at = Some(at);
    Verifier::new(o).expect("verifier")
}

/// The report as JSON without the field naming the path, and without the evaluation time when
/// it is only the clock's.
pub fn comparable(r: &Report) -> Value {
    let mut v = serde_json::to_value(r).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("validated_by");
    if let Some(t) = o.get_mut("trust").and_then(Value::as_object_mut) {
        if t.get("evaluated_at_origin").and_then(Value::as_str) == Some("now") {
            t.remove("evaluated_at");
        }
    }
    v
}

/// Both paths' reports of `data` (named `name`, judged at [`fixed_time`]), which must be the
/// same apart from the path that judged: `(own path's, SDK's)`. `what` names the case in a
/// failure message.
fn both(data: &[u8], name: &str, what: &str) -> (Report, Report) {
    let own = verifier(true, fixed_time()).verify_bytes(data, Some(name));
    let sdk = verifier(false, fixed_time()).verify_bytes(data, Some(name));
    assert_eq!(
        comparable(&own),
        comparable(&sdk),
        "{what}: own path and SDK reports differ:\nown: {}\nsdk: {}",
        serde_json::to_string_pretty(&own).unwrap(),
        serde_json::to_string_pretty(&sdk).unwrap()
    );
    (own, sdk)
}

/// [`both`] for a file with a manifest store the SDK reads.
pub fn judge(data: &[u8], name: &str, what: &str) -> (Report, Report) {
    let (own, sdk) = both(data, name, what);
    assert_eq!(sdk.validated_by.as_deref(), Some("c2pa"), "{what}");
    (own, sdk)
}

/// [`both`] for a changed file, which the SDK may find unreadable or without a store (so either
/// path may have judged it): the own path's report.
pub fn judge_changed(data: &[u8], name: &str, what: &str) -> Report {
    both(data, name, what).0
}

/// The codes of a report's validation statuses of one kind (`success`, `informational`,
/// `failure`), in order.
pub fn status_codes(r: &Report, kind: &str) -> Vec<String> {
    let v = serde_json::to_value(r).unwrap();
    v["validation"][kind]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["code"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Changed copies of one file: (what was changed, the bytes).
pub type Mutants = Vec<(String, Vec<u8>)>;

/// The colour table size flagged in a GIF packed byte (screen or image descriptor).
fn gif_table(packed: u8) -> usize {
    if packed & 0x80 != 0 {
        3 << ((packed & 7) + 1)
    } else {
        0
    }
}

/// A GIF's blocks up to and including the first image descriptor (with its colour table and
/// image data), as (start, end, introducer, label); stops early at anything it cannot walk.
pub fn gif_blocks(d: &[u8]) -> Vec<(usize, usize, u8, u8)> {
    let sub_blocks = |mut p: usize| loop {
        let n = *d.get(p)? as usize;
        p += 1 + n;
        if n == 0 {
            return Some(p);
        }
    };
    let mut out = Vec::new();
    let Some(&packed) = d.get(10) else {
        return out;
    };
    let mut p = 13 + gif_table(packed);
    loop {
        let start = p;
        let end = match (d.get(p), d.get(p + 1)) {
            (Some(0x21), Some(&label)) => {
                let end = match label {
                    0xf9 => Some(p + 8),
                    0xff => sub_blocks(p + 14),
                    0x01 => sub_blocks(p + 13),
                    _ => sub_blocks(p + 2),
                };
                end.map(|e| (e, 0x21, label))
            }
            (Some(0x2c), _) => d
                .get(p + 9)
                .and_then(|&packed| sub_blocks(p + 10 + gif_table(packed) + 1))
                .map(|e| (e, 0x2c, 0)),
            _ => None,
        };
        let Some((end, intro, label)) = end.filter(|e| e.0 <= d.len()) else {
            return out;
        };
        out.push((start, end, intro, label));
        if intro == 0x2c {
            return out;
        }
        p = end;
    }
}

/// The first C2PA application extension block of a GIF: (start, end).
pub fn gif_c2pa_block(d: &[u8]) -> Option<(usize, usize)> {
    gif_blocks(d)
        .into_iter()
        .find(|b| b.3 == 0xff && d.get(b.0 + 3..b.0 + 11) == Some(b"C2PA_GIF"))
        .map(|b| (b.0, b.1))
}

fn insert(d: &[u8], at: usize, new: &[u8]) -> Vec<u8> {
    let mut out = d[..at].to_vec();
    out.extend(new);
    out.extend(&d[at..]);
    out
}

/// The GIF walk changed before and at the store: each byte up to the end of the C2PA block's
/// header set to 0x00 and to its complement, the store's sub-block lengths changed, a stray
/// byte, a comment, an unknown extension or an image before the store, a second store, cuts.
/// Nothing for a GIF without a C2PA block.
pub fn gif_mutants(d: &[u8]) -> Mutants {
    let mut out: Mutants = Vec::new();
    let Some((start, end)) = gif_c2pa_block(d) else {
        return out;
    };
    let block = d[start..end].to_vec();
    for p in 0..start + 14 {
        for v in [0x00, !d[p]] {
            let mut m = d.to_vec();
            m[p] = v;
            if m != d {
                out.push((format!("byte {p} = {v:#04x}"), m));
            }
        }
    }
    for (i, len) in [(start + 14, 0u8), (start + 14, 254), (start + 14 + 256, 1)] {
        if i < end {
            let mut m = d.to_vec();
            m[i] = len;
            out.push((format!("sub-block length at {i} = {len}"), m));
        }
    }
    out.extend([
        (
            "a stray byte before the store".into(),
            insert(d, start, &[0]),
        ),
        (
            "a comment before the store".into(),
            insert(d, start, &[0x21, 0xfe, 1, b'x', 0]),
        ),
        (
            "an unknown extension before the store".into(),
            insert(d, start, &[0x21, 0x02, 0]),
        ),
        ("the store twice".into(), insert(d, end, &block)),
        (
            "cut inside the store".into(),
            d[..start + 40.min(end - start)].to_vec(),
        ),
        ("cut before its terminator".into(), d[..end - 1].to_vec()),
    ]);
    if let Some(&(s, e, 0x2c, _)) = gif_blocks(d).last() {
        out.push((
            "an image before the store".into(),
            insert(d, start, &d[s..e]),
        ));
    }
    out
}

/// The IFDs of a classic TIFF's page chain (at most 8): (little-endian, offset, entry count).
pub fn tiff_pages(d: &[u8]) -> Vec<(bool, usize, usize)> {
    let le = d.get(0..2) == Some(b"II");
    let rd = |o: usize, n: usize| -> Option<u32> {
        let b = d.get(o..o + n)?;
        let mut v = 0u32;
        for i in 0..n {
            let byte = u32::from(if le { b[n - 1 - i] } else { b[i] });
            v = (v << 8) | byte;
        }
        Some(v)
    };
    let mut out = Vec::new();
    let mut at = rd(4, 4).unwrap_or(0) as usize;
    while at != 0 && out.len() < 8 && !out.iter().any(|p: &(bool, usize, usize)| p.1 == at) {
        let Some(n) = rd(at, 2) else { break };
        let n = n as usize;
        out.push((le, at, n));
        at = rd(at + 2 + 12 * n, 4).unwrap_or(0) as usize;
    }
    out
}

/// The TIFF walk changed: each entry of each page's IFD with its tag made the C2PA tag,
/// SubIFDs, EXIF or GPS pointer, its type, count and value changed; the entry count and the
/// next-IFD pointer changed (a loop, past the end); the BigTIFF magic.
pub fn tiff_mutants(d: &[u8]) -> Mutants {
    let mut out: Mutants = Vec::new();
    let len = d.len() as u32;
    for (le, off, n) in tiff_pages(d) {
        let u16b = |v: u16| if le { v.to_le_bytes() } else { v.to_be_bytes() };
        let u32b = |v: u32| if le { v.to_le_bytes() } else { v.to_be_bytes() };
        let set = |at: usize, bytes: &[u8]| {
            let mut m = d.to_vec();
            m.get_mut(at..at + bytes.len())?.copy_from_slice(bytes);
            Some(m)
        };
        let mut push = |what: String, m: Option<Vec<u8>>| {
            if let Some(m) = m {
                out.push((what, m));
            }
        };
        for i in 0..n {
            let e = off + 2 + 12 * i;
            for tag in [0xcd41u16, 0x014a, 0x8769, 0x8825] {
                push(
                    format!("IFD {off} entry {i} tag {tag:#x}"),
                    set(e, &u16b(tag)),
                );
            }
            for kind in [3u16, 4, 7] {
                push(
                    format!("IFD {off} entry {i} type {kind}"),
                    set(e + 2, &u16b(kind)),
                );
            }
            for count in [0u32, 1, 2, len / 4 + 1, u32::MAX] {
                push(
                    format!("IFD {off} entry {i} count {count}"),
                    set(e + 4, &u32b(count)),
                );
            }
            for value in [0u32, 8, len.saturating_sub(2), u32::MAX] {
                push(
                    format!("IFD {off} entry {i} value {value}"),
                    set(e + 8, &u32b(value)),
                );
            }
        }
        let next = off + 2 + 12 * n;
        for (what, v) in [
            ("itself", off as u32),
            ("past the end", len + 10),
            ("the header", 8),
        ] {
            push(format!("IFD {off} next IFD {what}"), set(next, &u32b(v)));
        }
        push(
            format!("IFD {off} one entry fewer"),
            set(off, &u16b(n.saturating_sub(1) as u16)),
        );
        push(
            format!("IFD {off} one entry more"),
            set(off, &u16b(n as u16 + 1)),
        );
    }
    if let Some(&(le, _, _)) = tiff_pages(d).first() {
        let mut m = d.to_vec();
        m[2..4].copy_from_slice(&if le {
            43u16.to_le_bytes()
        } else {
            43u16.to_be_bytes()
        });
        out.push(("BigTIFF magic".into(), m));
    }
    out
}

/// The (offset, size, type) of the boxes with 32-bit sizes in `data[from..to]`.
pub fn bmff_boxes(data: &[u8], from: usize, to: usize) -> Vec<(usize, usize, [u8; 4])> {
    let mut out = Vec::new();
    let mut at = from;
    while at + 8 <= to {
        let size = u32::from_be_bytes(data[at..at + 4].try_into().unwrap()) as usize;
        if size < 8 || at + size > to {
            break;
        }
        out.push((at, size, data[at + 4..at + 8].try_into().unwrap()));
        at += size;
    }
    out
}

/// Changed copies of one BMFF file: each top-level box and each box one level inside `moov`,
/// `moof`, `trak` or `meta` given a size past the end, a size one byte short, another type, or a
/// stray byte before it; the C2PA `uuid` box copied to the end and before itself, its purpose
/// changed.
pub fn bmff_mutants(data: &[u8]) -> Mutants {
    let mut out: Mutants = Vec::new();
    let top = bmff_boxes(data, 0, data.len());
    let mut all = top.clone();
    for &(at, size, kind) in &top {
        // `meta` is a full box: its children start after version and flags
        let first = match &kind {
            b"moov" | b"moof" | b"trak" => at + 8,
            b"meta" => at + 12,
            _ => continue,
        };
        all.extend(bmff_boxes(data, first, at + size));
    }
    for &(at, size, kind) in &all {
        let name = String::from_utf8_lossy(&kind).into_owned();
        let mut past_end = data.to_vec();
        past_end[at..at + 4].copy_from_slice(&0x7fff_fff0u32.to_be_bytes());
        out.push((format!("{name} at {at}: size past the end"), past_end));
        let mut short = data.to_vec();
        short[at..at + 4].copy_from_slice(&(size as u32 - 1).to_be_bytes());
        out.push((format!("{name} at {at}: size one short"), short));
        let mut renamed = data.to_vec();
        renamed[at + 4] ^= 0x20;
        out.push((format!("{name} at {at}: type changed"), renamed));
        let mut stray = data.to_vec();
        stray.insert(at, 0);
        out.push((format!("{name} at {at}: stray byte before"), stray));
    }
    // the C2PA box: `uuid`, the C2PA UUID, version and flags, then the purpose
    const C2PA: [u8; 16] = [
        0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4,
        0x81,
    ];
    for &(at, size, kind) in &top {
        if &kind != b"uuid" || data.get(at + 8..at + 24) != Some(&C2PA[..]) {
            continue;
        }
        let c2pa = data[at..at + size].to_vec();
        let mut at_end = data.to_vec();
        at_end.extend(&c2pa);
        out.push((format!("C2PA box at {at} copied to the end"), at_end));
        let mut before = data.to_vec();
        before.splice(at..at, c2pa);
        out.push((format!("C2PA box at {at} copied before itself"), before));
        let mut purpose = data.to_vec();
        purpose[at + 28] ^= 0x01;
        out.push((format!("C2PA box at {at}: purpose changed"), purpose));
    }
    out
}
