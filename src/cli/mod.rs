//! The `provcheck` command: parse arguments, build one `Verifier`, run the command, map results
//! to exit codes (0 all authentic, 1 any other verdict, 2 usage or I/O error). It lives in the
//! binary crate and uses only the library's public API; the library never depends on it.

mod args;
mod scan_cmd;
mod serve_cmd;
mod trust_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, OutputFormat, TrustArgs, TrustCommand};
use provcheck::render::{self, text};
use provcheck::{Report, Verdict, Verifier, VerifierOptions};

const EXIT_OK: u8 = 0;
const EXIT_NOT_AUTHENTIC: u8 = 1;
const EXIT_USAGE: u8 = 2;

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            // Messages name files and folders: escaped like all human output.
            eprintln!("provcheck: {}", text::clean(&msg));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Verify(a) => {
            let output = a.output();
            let mut verifier = options_for(
                &a.trust,
                a.expect.clone(),
                a.sdk_trust,
                output == OutputFormat::Html,
            )?;
            // one file: its two hashes (input.sha256, the binding) on two cores
            verifier.parallel_hash = a.files.len() == 1;
            let verifier = Verifier::new(verifier).map_err(|e| e.to_string())?;
            let color = a.color.colours_stdout();
            let mut stdout = std::io::stdout().lock();
            let mut reports = Vec::new();
            let mut csv =
                (output == OutputFormat::Csv).then(|| render::csv::writer(std::io::stdout()));
            let mut worst = EXIT_OK;
            let verifier = std::sync::Arc::new(verifier);
            // All cores, output in the order given, each file within --file-timeout (see
            // `many`: no rayon worker ever waits, so the SDK's own rayon use cannot deadlock).
            let options = provcheck::many::ManyOptions {
                threads: 0,
                file_timeout: Some(std::time::Duration::from_secs_f64(
                    a.file_timeout.max(0.001),
                )),
                timeout_option: "--file-timeout",
            };
            provcheck::many::verify_paths(&verifier, &a.files, &options, |_, r| {
                worst = worst.max(exit_code(&r));
                match output {
                    OutputFormat::Text => {
                        let _ = write!(stdout, "{}", text::render(&r, color, a.verbose));
                    }
                    OutputFormat::Jsonl => {
                        let _ = writeln!(stdout, "{}", render::json_line(&r));
                    }
                    OutputFormat::Csv => {
                        if let Some(w) = csv.as_mut() {
                            let _ = render::csv::write_row(w, &r);
                        }
                    }
                    OutputFormat::Json | OutputFormat::Html => reports.push(r),
                }
            });
            if let Some(mut w) = csv {
                let _ = w.flush();
            }
            if output == OutputFormat::Json {
                let _ = writeln!(stdout, "{}", render::json_document(&reports));
            }
            if output == OutputFormat::Html {
                let _ = stdout.write_all(render::html_page(reports, None, 0).as_bytes());
            }
            Ok(worst)
        }
        Command::Scan(a) => {
            let html = scan_cmd::wants_html(&a, OutputFormat::Text);
            let verifier = build_with(&a.trust, a.expect.clone(), a.sdk_trust, html)?;
            scan_cmd::run(&a, verifier, OutputFormat::Text, None)
        }
        Command::Report(r) => {
            let html = scan_cmd::wants_html(&r.scan, OutputFormat::Html);
            let verifier =
                build_with(&r.scan.trust, r.scan.expect.clone(), r.scan.sdk_trust, html)?;
            scan_cmd::run(&r.scan, verifier, OutputFormat::Html, r.output.as_ref())
        }
        Command::ScanWorker => Ok(provcheck::scan::worker_main()),
        Command::Serve(a) => {
            let verifier = build_with(&a.trust, None, a.sdk_trust, false)?;
            serve_cmd::run(&a, verifier)
        }
        Command::ServeWorker => Ok(provcheck::serve::worker_main()),
        Command::Trust(TrustCommand::List { trust, json }) => {
            let verifier = build(&trust, None)?;
            print!("{}", trust_cmd::list(&verifier, json));
            Ok(EXIT_OK)
        }
        Command::Trust(TrustCommand::Show { file, trust, json }) => {
            let verifier = build(&trust, None)?;
            let r = verifier.verify_path(&file);
            print!("{}", trust_cmd::show(&r, json));
            Ok(exit_code(&r))
        }
    }
}

/// 2 when the file could not be read at all, 1 for any verdict but authentic.
fn exit_code(r: &Report) -> u8 {
    if r.verdict == Verdict::Authentic {
        EXIT_OK
    } else if r.verdict == Verdict::Error && r.codes().any(|c| c == provcheck::codes::IO_ERROR) {
        EXIT_USAGE
    } else {
        EXIT_NOT_AUTHENTIC
    }
}

/// Largest trust or registry file read (`--trust-anchors`, `--generators`...). The bundled C2PA
/// trust list is under 1 MiB.
const MAX_CONFIG_FILE: u64 = 64 << 20;

/// A configuration file named by the user, through the same guarded read as the files checked
/// (a FIFO or `/dev/zero` given by mistake is refused, not read forever).
fn read_file(p: &std::path::Path) -> Result<Vec<u8>, String> {
    provcheck::read_file(p, MAX_CONFIG_FILE)
        .map_err(|e| format!("cannot read {}: {e}", p.display()))
}

fn build(t: &TrustArgs, expect: Option<String>) -> Result<Verifier, String> {
    build_with(t, expect, true, false)
}

fn build_with(
    t: &TrustArgs,
    expect: Option<String>,
    sdk_trust: bool,
    thumbnails: bool,
) -> Result<Verifier, String> {
    Verifier::new(options_for(t, expect, sdk_trust, thumbnails)?).map_err(|e| e.to_string())
}

fn options_for(
    t: &TrustArgs,
    expect: Option<String>,
    sdk_trust: bool,
    thumbnails: bool,
) -> Result<VerifierOptions, String> {
    let at = match &t.at {
        Some(s) => Some(
            chrono::DateTime::parse_from_rfc3339(s)
                .map_err(|e| format!("--at {s:?}: {e} (use RFC 3339, e.g. 2026-11-23T00:00:00Z)"))?
                .with_timezone(&chrono::Utc),
        ),
        None => None,
    };
    let mut opts = VerifierOptions::default();
    opts.default_trust = !t.no_default_trust;
    opts.expect = expect;
    opts.max_file_size = t.max_file_size;
    opts.at = at;
    opts.sdk_trust = sdk_trust;
    opts.thumbnails = thumbnails;
    opts.own_path = !t.sdk_only;
    opts.cross_check = t.cross_check;
    for p in &t.trust_anchors {
        opts.extra_anchors.push(read_file(p)?);
    }
    for p in &t.allowed_list {
        opts.extra_allowed.push(read_file(p)?);
    }
    for p in &t.trust_config {
        opts.extra_trust_config
            .push(String::from_utf8_lossy(&read_file(p)?).into_owned());
    }
    for p in &t.generators {
        opts.generators
            .push(String::from_utf8_lossy(&read_file(p)?).into_owned());
    }
    Ok(opts)
}
