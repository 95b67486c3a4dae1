//! Criterion benches for verifying one file in-process (`cargo bench --bench verify`).
//!
//! One `provcheck::Verifier` is built once per bench and the file's bytes are read once before the
//! timing loop, so the figures are the per-file cost a `provcheck scan` worker pays:
//!
//! - `verify/small_jpeg`: `samples/bing_creator_cloud_surfing_puppy.jpg` (~290 kB, one manifest).
//! - `verify/png_2_5mb`: a 2-3 MB signed generator PNG from `../shared/corpus` (OpenAI ChatGPT).
//! - `verify/deep_manifest`: Google Gemini output with 31 ingredient manifests.
//! - `trust/evaluate_cache_hit`: `TrustEngine::evaluate` on a chain it has already evaluated
//!   (the structural cache hit; only the validity-time check runs).
//! - `trust/verify_warm_verifier` vs `trust/verify_fresh_verifier`: the same file verified by a
//!   shared verifier (warm trust cache) and by a verifier built for every iteration (trust lists
//!   parsed and every chain evaluated from scratch): the cost the shared verifier saves per file.
//!
//! The corpus lives next to the project (`../shared/corpus`, relative to the package root;
//! `PROVCHECK_BENCH_CORPUS` overrides). The benches that need it print a loud notice and skip
//! when it is absent; the PNG bench then falls back to an encoded noise PNG (see `png_bytes`).
//!
//! Filter as usual: `cargo bench --bench verify -- trust/`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use provcheck::read::{read_manifest, sniff, Contexts, ReadOutcome};
use provcheck::trust::Purpose;
use provcheck::{Verifier, VerifierOptions};

const SMALL_JPEG: &str = "samples/bing_creator_cloud_surfing_puppy.jpg";
/// 2.47 MB PNG, OpenAI ChatGPT (GPT-4o), one manifest over one ingredient.
const PNG_2_5MB: &str = "generators/openai/ChatGPT_Image.png";
/// 1.93 MB PNG, Google Gemini, 31 ingredient manifests (the deepest store in the corpus).
const DEEP_MANIFEST: &str = "generators/google/triple.png";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpus` relative to the package root, or `$PROVCHECK_BENCH_CORPUS`.
fn corpus_dir() -> PathBuf {
    std::env::var_os("PROVCHECK_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"))
}

fn corpus() -> Option<PathBuf> {
    let c = corpus_dir();
    c.join("generators").is_dir().then_some(c)
}

fn corpus_file(rel: &str) -> Option<(Vec<u8>, String)> {
    let Some(dir) = corpus() else {
        eprintln!(
            "\n!!!!! SKIPPING {rel}: corpus not found at {} (../shared/corpus relative to the \
             package root, or $PROVCHECK_BENCH_CORPUS)\n",
            corpus_dir().display()
        );
        return None;
    };
    let path = dir.join(rel);
    match std::fs::read(&path) {
        Ok(d) => Some((d, name_of(&path))),
        Err(e) => {
            eprintln!("\n!!!!! SKIPPING {rel}: {}: {e}\n", path.display());
            None
        }
    }
}

fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// The PNG for `verify/png_2_5mb`: the corpus PNG, or, without the corpus, a 1500x1500 8-bit
/// greyscale noise PNG encoded with the `image` crate (~2.3 MB, incompressible). That one is
/// unsigned, so it measures read + hash + sniff + the SDK's "no manifest" path, not a
/// verification; the bench name says which was used.
fn png_bytes() -> (Vec<u8>, String, &'static str) {
    if let Some((d, n)) = corpus_file(PNG_2_5MB) {
        return (d, n, "png_2_5mb");
    }
    eprintln!("!!!!! verify/png_2_5mb: using an unsigned 1500x1500 noise PNG instead\n");
    let (w, h) = (1500u32, 1500u32);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let pixels: Vec<u8> = (0..w * h)
        .map(|_| {
            // xorshift64: cheap, deterministic noise
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect();
    let img = image::GrayImage::from_raw(w, h, pixels).expect("noise image");
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode noise PNG");
    (
        out.into_inner(),
        "noise.png".into(),
        "png_2_5mb_unsigned_noise",
    )
}

fn verifier() -> Verifier {
    Verifier::new(VerifierOptions::default()).expect("default verifier")
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn bench_verify(c: &mut Criterion) {
    let verifier = verifier();
    let mut group = c.benchmark_group("verify");

    let small = std::fs::read(root().join(SMALL_JPEG)).expect("sample JPEG");
    let small_name = name_of(Path::new(SMALL_JPEG));
    group.throughput(Throughput::Bytes(small.len() as u64));
    group.bench_function("small_jpeg", |b| {
        b.iter(|| black_box(verifier.verify_bytes(black_box(&small), Some(&small_name))))
    });

    let (png, png_name, png_id) = png_bytes();
    group.throughput(Throughput::Bytes(png.len() as u64));
    group.bench_function(png_id, |b| {
        b.iter(|| black_box(verifier.verify_bytes(black_box(&png), Some(&png_name))))
    });

    if let Some((deep, deep_name)) = corpus_file(DEEP_MANIFEST) {
        // ~0.5 s per verification: the fewest samples criterion allows, in a little more time.
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(7));
        group.throughput(Throughput::Bytes(deep.len() as u64));
        group.bench_function("deep_manifest", |b| {
            b.iter(|| black_box(verifier.verify_bytes(black_box(&deep), Some(&deep_name))))
        });
    }
    group.finish();
}

fn bench_trust(c: &mut Criterion) {
    let verifier = verifier();
    let data = std::fs::read(root().join(SMALL_JPEG)).expect("sample JPEG");
    let name = name_of(Path::new(SMALL_JPEG));

    // The chain exactly as the verifier sees it: the active manifest's x5chain, obtained through
    // the same reader stage (a default-settings context is enough to extract it).
    let ctx = c2pa::Context::new().into_shared();
    let contexts = Contexts {
        full: ctx.clone(),
        without_identity: ctx,
        fast: None,
        cross_check: false,
    };
    let chain = match read_manifest(&data, sniff::sniff_full(&data), &contexts) {
        ReadOutcome::Manifest(store) => store.active().expect("active manifest").chain.clone(),
        other => panic!("{SMALL_JPEG}: expected a manifest, got {other:?}"),
    };
    assert!(!chain.is_empty(), "{SMALL_JPEG}: empty x5chain");
    let at = now();
    let engine = verifier.claim_trust();
    let first = engine.evaluate(&chain, Purpose::ClaimSigning, at);
    let misses = engine.evaluations_performed();

    let mut group = c.benchmark_group("trust");
    group.bench_function("evaluate_cache_hit", |b| {
        b.iter(|| black_box(engine.evaluate(black_box(&chain), Purpose::ClaimSigning, at)))
    });
    assert_eq!(
        engine.evaluations_performed(),
        misses,
        "the cache-hit bench re-evaluated the chain structurally"
    );
    assert_eq!(
        engine
            .evaluate(&chain, Purpose::ClaimSigning, at)
            .path
            .len(),
        first.path.len()
    );

    // Warm the shared verifier's caches once before timing.
    black_box(verifier.verify_bytes(&data, Some(&name)));
    group.bench_function("verify_warm_verifier", |b| {
        b.iter(|| black_box(verifier.verify_bytes(black_box(&data), Some(&name))))
    });
    group.bench_function("verify_fresh_verifier", |b| {
        b.iter(|| {
            let v = Verifier::new(VerifierOptions::default()).expect("default verifier");
            black_box(v.verify_bytes(black_box(&data), Some(&name)))
        })
    });
    group.bench_function("verifier_new", |b| {
        b.iter(|| black_box(Verifier::new(VerifierOptions::default()).expect("verifier")))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_verify, bench_trust
}
criterion_main!(benches);
