//! `provcheck verify a b c ...` and `provcheck::many::verify_paths`: all cores, reports in the
//! order given, and no deadlock when the c2pa SDK's PDF parser (which uses rayon itself) runs
//! inside the per-file time limit. Needs ../shared/corpus for the PDFs (skips loudly without it;
//! fails with PROVCHECK_REQUIRE_CORPUS=1).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::corpus;
use provcheck::{Verifier, VerifierOptions};

/// The corpus PDFs and a few images, each several times, interleaved.
fn mixed_inputs(test: &str) -> Option<Vec<PathBuf>> {
    let corpus = corpus(test)?;
    let mut distinct: Vec<PathBuf> = std::fs::read_dir(corpus.join("conformance/pdf"))
        .expect("conformance/pdf")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    distinct.sort();
    assert!(distinct.len() >= 5, "only {} PDFs", distinct.len());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    distinct.push(root.join("samples/bing_creator_cloud_surfing_puppy.jpg"));
    distinct.push(root.join("samples/composite-dst.jpg"));
    distinct.push(corpus.join("generators/openai/chatgpt_image_gray.png"));
    let mut out = Vec::new();
    for round in 0..3 {
        // A different order each round, so neighbours differ.
        let mut r = distinct.clone();
        r.rotate_left(round * 3);
        out.extend(r);
    }
    Some(out)
}

/// The fields that must not depend on running files together.
fn key(v: &serde_json::Value) -> String {
    let mut codes: Vec<String> = v["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["code"].as_str().unwrap_or_default().to_string())
        .collect();
    codes.sort();
    format!(
        "{} {} {} {:?}",
        v["input"]["path"], v["input"]["sha256"], v["verdict"], codes
    )
}

#[test]
fn verify_many_files_keeps_order_and_does_not_deadlock_on_pdfs() {
    let Some(inputs) = mixed_inputs("verify_many_files_keeps_order_and_does_not_deadlock_on_pdfs")
    else {
        return;
    };
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_provcheck"))
        .args(["verify", "--jsonl", "--file-timeout", "120"])
        .args(&inputs)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read stdout while it runs (a full pipe would stall it).
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).unwrap();
        buf
    });
    // A deadlock shows as a process that never ends: give it far more than it needs, then fail.
    let deadline = Duration::from_secs(300);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            panic!(
                "provcheck verify on {} files did not finish in {deadline:?}",
                inputs.len()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let lines: Vec<serde_json::Value> = String::from_utf8(reader.join().unwrap())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), inputs.len());
    // Same order as given, and each report what verifying the file alone gives.
    let mut alone: std::collections::HashMap<PathBuf, String> = Default::default();
    for (p, v) in inputs.iter().zip(&lines) {
        assert_eq!(v["input"]["path"].as_str(), Some(p.to_str().unwrap()));
        assert_ne!(
            v["reasons"][0]["code"],
            "provcheck.timeout",
            "{}",
            p.display()
        );
        let single = alone.entry(p.clone()).or_insert_with(|| {
            let o = Command::new(env!("CARGO_BIN_EXE_provcheck"))
                .args(["verify", "--json"])
                .arg(p)
                .output()
                .unwrap();
            key(&serde_json::from_slice(&o.stdout).unwrap())
        });
        assert_eq!(&key(v), single, "{}", p.display());
    }
}

#[test]
fn library_verify_paths_delivers_in_order_on_all_threads() {
    let Some(inputs) = mixed_inputs("library_verify_paths_delivers_in_order_on_all_threads") else {
        return;
    };
    let verifier = Arc::new(provcheck::Verifier::new(Default::default()).unwrap());
    let limit = Some(Duration::from_secs(120));
    for (threads, timeout) in [(0, None), (3, limit), (1, None), (1, limit)] {
        let options = provcheck::many::ManyOptions {
            threads,
            file_timeout: timeout,
            timeout_option: "--file-timeout",
        };
        let mut seen = Vec::new();
        let mut threads_used = std::collections::HashSet::new();
        provcheck::many::verify_paths(&verifier, &inputs, &options, |i, r| {
            threads_used.insert(std::thread::current().id());
            assert_eq!(r.input.path.as_deref(), inputs[i].to_str());
            assert!(!r.codes().any(|c| c == "provcheck.timeout"));
            seen.push(i);
        });
        assert_eq!(seen, (0..inputs.len()).collect::<Vec<_>>());
        // Reports are delivered on the calling thread.
        assert_eq!(threads_used.len(), 1);
    }
}

#[test]
fn a_file_past_the_limit_is_a_timeout_report_and_the_rest_go_on() {
    let Some(inputs) = mixed_inputs("a_file_past_the_limit_is_a_timeout_report_and_the_rest_go_on")
    else {
        return;
    };
    let verifier = Arc::new(provcheck::Verifier::new(Default::default()).unwrap());
    // A limit no real check meets: every file times out, in order, promptly, with several
    // dispatchers and with one (which checks on the calling thread's behalf).
    for threads in [2, 1] {
        let options = provcheck::many::ManyOptions {
            threads,
            file_timeout: Some(Duration::from_nanos(1)),
            timeout_option: "--file-timeout",
        };
        let start = Instant::now();
        let mut seen = Vec::new();
        provcheck::many::verify_paths(&verifier, &inputs, &options, |i, r| {
            assert_eq!(r.verdict, provcheck::Verdict::Error);
            assert!(r.codes().any(|c| c == "provcheck.timeout"), "{i}");
            seen.push(i);
        });
        assert_eq!(seen, (0..inputs.len()).collect::<Vec<_>>());
        assert!(start.elapsed() < Duration::from_secs(30));
    }
}

/// `parallel_hash` (the CLI's one-file `verify`) hashes `input.sha256` on a second thread; the
/// report must be the same, on a signed file, a truncated one (an error report) and a large
/// unsigned one.
#[test]
fn parallel_hashing_gives_the_same_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = std::fs::read(root.join("samples/bing_creator_cloud_surfing_puppy.jpg")).unwrap();
    let mut unsigned = b"\xff\xd8\xff\xd9".to_vec();
    unsigned.resize(600 * 1024, 0);
    let inputs: Vec<Vec<u8>> = vec![
        sample.clone(),
        sample[..sample.len() - 1000].to_vec(),
        unsigned,
    ];
    let (serial, parallel) = (fixed_time_verifier(false), fixed_time_verifier(true));
    for data in &inputs {
        assert!(
            data.len() >= 256 * 1024,
            "large enough for the second thread"
        );
        let call = provcheck::CallOptions::new().name("upload.jpg");
        let a = serial.verify_bytes_with(data, &call).unwrap();
        let b = parallel.verify_bytes_with(data, &call).unwrap();
        assert!(b.input.sha256.as_deref().is_some_and(|h| h.len() == 64));
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap()
        );
    }
}

/// With `parallel_hash` the own path also verifies a store's ingredient manifests on two
/// threads (from four of them). Google's multi-edit PNGs carry 8 and 30 manifests: the report
/// is the same as on one thread, judged by the own path, with every manifest's signature, and
/// so is the report of a copy whose last ingredient signature byte is changed.
#[test]
fn many_ingredient_manifests_verify_the_same_on_two_threads() {
    let Some(corpus) = corpus("many_ingredient_manifests_verify_the_same_on_two_threads") else {
        return;
    };
    let (serial, parallel) = (fixed_time_verifier(false), fixed_time_verifier(true));
    let mut judged = 0;
    for name in ["google/triple.png", "google/test2.png"] {
        let data = std::fs::read(corpus.join("generators").join(name)).unwrap();
        // a changed byte in the middle of the store's last COSE signature (an ingredient's or
        // the active manifest's, whichever the writer put last): both runs must agree on it too
        let mut changed = data.clone();
        let sig = memchr_last(&data, b"c2pa.signature").expect("a signature box");
        changed[sig + 200] ^= 0x01;
        for bytes in [&data, &changed] {
            let call = provcheck::CallOptions::new().name("upload.png");
            let a = serial.verify_bytes_with(bytes, &call).unwrap();
            let b = parallel.verify_bytes_with(bytes, &call).unwrap();
            let (a, b) = (
                serde_json::to_value(&a).unwrap(),
                serde_json::to_value(&b).unwrap(),
            );
            assert_eq!(a, b, "{name}");
            if a["validated_by"] == "provcheck" {
                assert!(
                    a["manifest"]["manifest_count"].as_u64().unwrap() >= 8,
                    "{name}"
                );
                judged += 1;
            }
        }
    }
    assert!(judged >= 2, "the own path judged {judged} of the four");
}

fn memchr_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// A verifier at a fixed validation time, with or without `parallel_hash`.
fn fixed_time_verifier(parallel: bool) -> Verifier {
    let mut o = VerifierOptions::default();
    o.parallel_hash = parallel;
    o.at = Some("2026-11-01T00:00:00Z".parse().unwrap());
    Verifier::new(o).unwrap()
}
