//! `provcheck scan` and `provcheck report`: drive `provcheck::scan` and stream its records to the
//! outputs asked for. Each output is written as records arrive; a record is written whole or not
//! at all, so a stopped scan leaves files that are valid line by line.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, IsTerminal, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::args::{OutputFormat, ScanArgs};
use provcheck::render::{self, summary as summary_text};
use provcheck::scan::{
    self, verdict_rank, IsolateOptions, Recorded, ScanOptions, Sink, SkipReason,
};
use provcheck::{Report, Verdict, Verifier};

/// Detailed sections in one HTML report; files beyond are in the summary table only.
pub const MAX_HTML_SECTIONS: usize = 2000;

type Out = Box<dyn Write + Send>;

fn open_out(p: &Path, append: bool) -> Result<Out, String> {
    if p == Path::new("-") {
        return Ok(Box::new(std::io::stdout()));
    }
    let file = if append {
        let mut f = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(p)
            .map_err(|e| format!("cannot open {}: {e}", p.display()))?;
        end_with_newline(&mut f).map_err(|e| format!("{}: {e}", p.display()))?;
        f
    } else {
        File::create(p).map_err(|e| format!("cannot create {}: {e}", p.display()))?
    };
    Ok(Box::new(BufWriter::new(file)))
}

/// A torn last line (a killed earlier run) would corrupt the next record appended: end it.
fn end_with_newline(f: &mut File) -> std::io::Result<()> {
    use std::io::Read;
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    f.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    f.read_exact(&mut last)?;
    if last[0] != b'\n' {
        f.write_all(b"\n")?;
    }
    Ok(())
}

/// Everything the records stream into.
struct Outputs {
    text: Option<Out>,
    verbose: bool,
    color: bool,
    jsonl: Vec<Out>,
    csv: Vec<csv::Writer<Out>>,
    /// Reports kept for the HTML page (worst first when over the cap).
    html: Option<Vec<Report>>,
    list_skipped: bool,
    progress: Option<ProgressBar>,
    discovered: u64,
    bytes: u64,
    write_error: Option<String>,
}

impl Outputs {
    fn note_error(&mut self, e: std::io::Error) {
        if self.write_error.is_none() {
            self.write_error = Some(e.to_string());
        }
    }

    fn println(&self, line: &str) {
        match &self.progress {
            Some(pb) => pb.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

impl Sink for Outputs {
    fn record(&mut self, r: &Report) {
        if let Some(pb) = &self.progress {
            self.bytes += r.input.size;
            pb.inc(1);
            pb.set_message(format!("{:.0} MB", self.bytes as f64 / 1e6));
        }
        if let Some(t) = self.text.as_mut() {
            let attention = !matches!(r.verdict, Verdict::Authentic | Verdict::Unsigned);
            if attention || self.verbose {
                let mut line = summary_text::record_line(r);
                if self.color {
                    line = colour_line(r.verdict, line);
                }
                let res = match &self.progress {
                    Some(pb) => pb.suspend(|| writeln!(t, "{line}")),
                    None => writeln!(t, "{line}"),
                };
                if let Err(e) = res {
                    self.note_error(e);
                }
            }
        }
        let line = render::json_line(r);
        let mut errors = Vec::new();
        for w in &mut self.jsonl {
            if let Err(e) = writeln!(w, "{line}") {
                errors.push(e);
            }
        }
        for w in &mut self.csv {
            if let Err(e) = render::csv::write_row(w, r) {
                errors.push(std::io::Error::other(e.to_string()));
            }
        }
        for e in errors {
            self.note_error(e);
        }
        if let Some(kept) = self.html.as_mut() {
            keep_for_html(kept, r);
        }
    }

    fn skipped(&mut self, path: &Path, reason: SkipReason, detail: &str) {
        if self.list_skipped {
            self.println(&format!(
                "skipped {}: {} ({})",
                reason.as_str(),
                render::text::clean(&path.to_string_lossy()),
                render::text::clean(detail)
            ));
        }
    }

    fn discovered(&mut self, _size: u64) {
        self.discovered += 1;
        if let Some(pb) = &self.progress {
            pb.set_length(self.discovered);
        }
    }
}

fn colour_line(v: Verdict, line: String) -> String {
    format!("{}{line}\x1b[0m", render::text::colour(v))
}

/// Keep at most [`MAX_HTML_SECTIONS`] reports, preferring the worst verdicts.
fn keep_for_html(kept: &mut Vec<Report>, r: &Report) {
    if kept.len() < MAX_HTML_SECTIONS {
        kept.push(r.clone());
        return;
    }
    let rank = verdict_rank(r.verdict);
    if let Some((i, _)) = kept
        .iter()
        .enumerate()
        .filter(|(_, k)| verdict_rank(k.verdict) > rank)
        .max_by_key(|(_, k)| verdict_rank(k.verdict))
    {
        kept[i] = r.clone();
    }
}

/// Does this `scan` / `report` write an HTML page (so its checks should make thumbnails)?
pub fn wants_html(a: &ScanArgs, default_format: OutputFormat) -> bool {
    a.html.is_some() || a.format.unwrap_or(default_format) == OutputFormat::Html
}

/// Which output writes to standard output (`None`: the human text does). More than one is a
/// usage error: two streams interleaved on stdout would be neither valid JSONL nor CSV.
fn stdout_owner(
    a: &ScanArgs,
    format: OutputFormat,
    report_output: Option<&PathBuf>,
) -> Result<Option<&'static str>, String> {
    let dash = |p: Option<&PathBuf>| p.is_some_and(|p| p == Path::new("-"));
    let mut claims = Vec::new();
    match format {
        OutputFormat::Text => {}
        OutputFormat::Json => claims.push("--format json"),
        OutputFormat::Jsonl => claims.push("--format jsonl"),
        OutputFormat::Csv => claims.push("--format csv"),
        OutputFormat::Html => {}
    }
    if dash(a.jsonl.as_ref()) {
        claims.push("--jsonl -");
    }
    if dash(a.csv.as_ref()) {
        claims.push("--csv -");
    }
    let html_target = a.html.as_ref().or(report_output);
    let html_wanted = a.html.is_some() || format == OutputFormat::Html;
    if html_wanted && html_target.is_none_or(|p| p == Path::new("-")) {
        claims.push("the HTML report");
    }
    match claims.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(format!(
            "{} would all write to standard output; send all but one to a file",
            many.join(" and ")
        )),
    }
}

/// Run `scan` (or `report`, which is `scan` with HTML output to `output`).
pub fn run(
    a: &ScanArgs,
    verifier: Verifier,
    default_format: OutputFormat,
    report_output: Option<&PathBuf>,
) -> Result<u8, String> {
    let format = a.format.unwrap_or(default_format);
    let human_to_stderr = stdout_owner(a, format, report_output)?.is_some();
    let resume = match &a.resume {
        Some(p) => {
            let r = Recorded::load(p).map_err(|e| format!("--resume {}: {e}", p.display()))?;
            if r.unreadable_lines > 0 {
                eprintln!(
                    "provcheck: --resume: {} line(s) of {} are not complete records (a run stopped mid-write?); those files are checked again",
                    r.unreadable_lines,
                    render::text::clean(&p.to_string_lossy())
                );
            }
            Some(Arc::new(r))
        }
        None => None,
    };
    let show_progress = a.progress.enabled(std::io::stderr().is_terminal());
    let progress = show_progress.then(|| {
        let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files, {msg}, {per_sec}, eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    });

    let resume_file = a
        .resume
        .as_ref()
        .and_then(|r| std::fs::canonicalize(r).ok());
    let same_as_resume =
        |p: &PathBuf| resume_file.is_some() && resume_file == std::fs::canonicalize(p).ok();
    let mut outputs = Outputs {
        text: None,
        verbose: a.verbose,
        color: a.color.colours_stdout(),
        jsonl: Vec::new(),
        csv: Vec::new(),
        html: None,
        list_skipped: a.list_skipped,
        progress,
        discovered: 0,
        bytes: 0,
        write_error: None,
    };
    match format {
        // Standard output carries one machine stream or the human text, never both.
        OutputFormat::Text if human_to_stderr => outputs.text = Some(Box::new(std::io::stderr())),
        OutputFormat::Text => outputs.text = Some(Box::new(std::io::stdout())),
        OutputFormat::Jsonl => outputs
            .jsonl
            .push(Box::new(BufWriter::new(std::io::stdout()))),
        OutputFormat::Csv => outputs
            .csv
            .push(render::csv::writer(Box::new(BufWriter::new(
                std::io::stdout(),
            )))),
        OutputFormat::Json => {}
        OutputFormat::Html => outputs.html = Some(Vec::new()),
    }
    if let Some(p) = &a.jsonl {
        outputs.jsonl.push(open_out(p, same_as_resume(p))?);
    }
    if let Some(p) = &a.csv {
        outputs.csv.push(render::csv::writer(open_out(p, false)?));
    }
    if a.html.is_some() {
        outputs.html = Some(Vec::new());
    }

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // First Ctrl-C: stop starting files, finish and write what is under way. Second: exit now.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }
    let isolate = if !a.in_process {
        let program = std::env::current_exe()
            .map_err(|e| format!("--isolate: cannot find the provcheck program: {e}"))?;
        let mut isolate = IsolateOptions::new(program, verifier.options().clone());
        isolate.memory_limit = match a.file_memory {
            0 => None,
            mib => Some(mib.saturating_mul(1 << 20)),
        };
        Some(isolate)
    } else {
        None
    };
    let mut options = ScanOptions::default();
    options.paths = a.paths.clone();
    options.walk.include = a.include.clone();
    options.walk.exclude = a.exclude.clone();
    options.walk.max_depth = a.max_depth;
    options.walk.follow_symlinks = a.follow_symlinks;
    options.jobs = a.jobs;
    options.file_timeout = Duration::from_secs_f64(a.file_timeout.max(0.001));
    options.isolate = isolate;
    options.resume = resume;
    options.stop = stop.clone();
    let summary =
        scan::scan(Arc::new(verifier), &options, &mut outputs).map_err(|e| e.to_string())?;
    if let Some(pb) = &outputs.progress {
        pb.finish_and_clear();
    }
    for w in &mut outputs.jsonl {
        if let Err(e) = w.flush() {
            outputs.write_error.get_or_insert(e.to_string());
        }
    }
    for w in &mut outputs.csv {
        if let Err(e) = w.flush() {
            outputs.write_error.get_or_insert(e.to_string());
        }
    }
    let summary_json = serde_json::to_string_pretty(&summary).unwrap_or_default();
    if let Some(p) = &a.summary_json {
        std::fs::write(p, format!("{summary_json}\n"))
            .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    if let Some(kept) = outputs.html.take() {
        let omitted = (summary.files as usize).saturating_sub(kept.len());
        let page = render::html_page(kept, Some(&summary), omitted);
        let target = a.html.as_ref().or(report_output);
        match target {
            Some(p) if p != Path::new("-") => {
                std::fs::write(p, page).map_err(|e| format!("cannot write {}: {e}", p.display()))?
            }
            _ => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(page.as_bytes());
            }
        }
        if let Some(p) = target.filter(|p| *p != Path::new("-")) {
            eprintln!(
                "provcheck: report written to {}",
                render::text::clean(&p.to_string_lossy())
            );
        }
    }
    let text = summary_text::render(&summary);
    match format {
        OutputFormat::Text if !human_to_stderr => print!("{text}"),
        OutputFormat::Json => println!("{summary_json}"),
        _ => eprint!("{text}"),
    }
    if let Some(e) = outputs.write_error {
        return Err(format!("writing output failed: {e}"));
    }
    if summary.interrupted {
        return Ok(130);
    }
    let all_authentic = summary.files > 0
        && summary.files == summary.verdicts.get("authentic").copied().unwrap_or(0);
    Ok(if all_authentic { 0 } else { 1 })
}
