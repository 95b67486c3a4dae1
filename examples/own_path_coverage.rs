//! Which files provcheck's own validation path judges, and why it hands the others to the c2pa
//! SDK: the tool for choosing what the own path should cover next.
//!
//! ```text
//! cargo run --release --example own_path_coverage -- FILE_LIST_OR_FILES...
//! ```
//!
//! Each argument is a media file, or a text file (`.txt`) with one path per line. Every file is
//! verified once; the own path's decline reason (the `tracing` debug event provcheck emits for an
//! embedder's subscriber) is collected per file (with `PER_FILE=1`, every file is printed too: decline reason (`-` when
//! the own path judged it), the path that judged it, milliseconds, bytes, file; so
//! `PER_FILE=1 ... | awk -F'\t' '$2 == "provcheck" { print $5 }'` lists the own path's files). Prints one line per reason, most costly first:
//! files, their share, the time spent on them (one thread) and its share, the reason, an example
//! path; then the files and time of each path (`provcheck`, `c2pa`, `none` when no store was read).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use provcheck::{Verifier, VerifierOptions};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// Records the `reason` field of the last decline event on this thread's current file.
struct DeclineLayer(Arc<Mutex<Option<String>>>);

struct ReasonVisitor<'a>(&'a mut Option<String>);

impl Visit for ReasonVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "reason" {
            *self.0 = Some(value.to_owned());
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "reason" {
            *self.0 = Some(format!("{value:?}"));
        }
    }
}

impl<S: Subscriber> Layer<S> for DeclineLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if *event.metadata().level() == Level::DEBUG {
            let mut reason = None;
            event.record(&mut ReasonVisitor(&mut reason));
            if let Some(reason) = reason {
                *self.0.lock().unwrap() = Some(reason);
            }
        }
    }
}

fn files(args: impl Iterator<Item = String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for arg in args {
        let path = PathBuf::from(&arg);
        if path.extension().is_some_and(|e| e == "txt") {
            let list = std::fs::read_to_string(&path).expect("read the file list");
            out.extend(list.lines().filter(|l| !l.is_empty()).map(PathBuf::from));
        } else {
            out.push(path);
        }
    }
    out
}

fn main() {
    let files = files(std::env::args().skip(1));
    if files.is_empty() {
        eprintln!("usage: own_path_coverage FILE_LIST.txt | FILE...");
        std::process::exit(2);
    }
    let last = Arc::new(Mutex::new(None));
    let subscriber = tracing_subscriber::registry().with(DeclineLayer(last.clone()));
    tracing::subscriber::set_global_default(subscriber).expect("one subscriber");

    let per_file = std::env::var_os("PER_FILE").is_some();
    let verifier = Verifier::new(VerifierOptions::default()).expect("verifier");
    let mut reasons: BTreeMap<String, (usize, Duration, PathBuf)> = BTreeMap::new();
    let mut by_engine: BTreeMap<String, (usize, Duration)> = BTreeMap::new();
    for file in &files {
        *last.lock().unwrap() = None;
        let started = Instant::now();
        let report = verifier.verify_path(Path::new(file));
        let spent = started.elapsed();
        let engine = report.validated_by.unwrap_or_else(|| "none".into());
        let e = by_engine.entry(engine.clone()).or_default();
        e.0 += 1;
        e.1 += spent;
        let reason = (engine != "provcheck").then(|| {
            last.lock()
                .unwrap()
                .take()
                .unwrap_or_else(|| "(not offered to the own path)".into())
        });
        if per_file {
            let size = std::fs::metadata(file).map_or(0, |m| m.len());
            println!(
                "{}\t{engine}\t{:.3}\t{size}\t{}",
                reason.as_deref().unwrap_or("-"),
                spent.as_secs_f64() * 1e3,
                file.display()
            );
        }
        if let Some(reason) = reason {
            let r = reasons
                .entry(reason)
                .or_insert((0, Duration::ZERO, file.clone()));
            r.0 += 1;
            r.1 += spent;
        }
    }
    let mut rows: Vec<_> = reasons.into_iter().collect();
    rows.sort_by_key(|b| std::cmp::Reverse(b.1 .1));
    let total = files.len() as f64;
    let total_time: f64 = by_engine.values().map(|v| v.1.as_secs_f64()).sum();
    println!(" files  share   time  share  decline reason                            example");
    for (reason, (count, spent, example)) in rows {
        println!(
            "{count:6}  {:5.1}%  {:5.2}s {:5.1}%  {reason:40}  {}",
            100.0 * count as f64 / total,
            spent.as_secs_f64(),
            100.0 * spent.as_secs_f64() / total_time,
            example.display()
        );
    }
    for (engine, (count, spent)) in by_engine {
        println!(
            "validated_by {engine}: {count} files, {:.2} s ({:.1}% of the time)",
            spent.as_secs_f64(),
            100.0 * spent.as_secs_f64() / total_time
        );
    }
}
