//! Command-line arguments (clap derive), kept apart from the work they drive.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "provcheck",
    version = provcheck::LONG_VERSION,
    about = "Check images for C2PA Content Credentials: who really signed, was it changed, does the claimed generator match the signer",
    after_help = "Exit codes: 0 every file authentic; 1 any other verdict; 2 usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Verify one or more files and print one verdict per file.
    Verify(VerifyArgs),
    /// Scan folders: every supported file in parallel, one record per file, then a summary.
    Scan(ScanArgs),
    /// Write a self-contained HTML evidence report for files or folders.
    Report(ReportArgs),
    /// Internal: a worker process for `scan --isolate`.
    #[command(name = "__scan-worker", hide = true)]
    ScanWorker,
    /// Run an HTTP verification service (POST /v1/verify) for pipelines in any language.
    Serve(ServeArgs),
    /// Internal: a worker process for `serve`.
    #[command(name = "__serve-worker", hide = true)]
    ServeWorker,
    /// Inspect the trust material and chain evaluation.
    #[command(subcommand)]
    Trust(TrustCommand),
}

#[derive(Subcommand, Debug)]
pub enum TrustCommand {
    /// List the bundled (and added) trust anchors and generator pins.
    List {
        #[command(flatten)]
        trust: TrustArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the certificate-chain evaluation of one file, link by link.
    Show {
        file: PathBuf,
        #[command(flatten)]
        trust: TrustArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug, Clone)]
pub struct TrustArgs {
    /// Add trust anchors (PEM bundle). Repeatable.
    #[arg(long = "trust-anchors", value_name = "FILE")]
    pub trust_anchors: Vec<PathBuf>,
    /// Add allowed end-entity certificates (PEM, or base64 SHA-256 lines). Repeatable.
    #[arg(long = "allowed-list", value_name = "FILE")]
    pub allowed_list: Vec<PathBuf>,
    /// Add allowed EKU OIDs (c2pa store.cfg format). Repeatable.
    #[arg(long = "trust-config", value_name = "FILE")]
    pub trust_config: Vec<PathBuf>,
    /// Do not use the bundled trust lists.
    #[arg(long = "no-default-trust")]
    pub no_default_trust: bool,
    /// Add or override generator registry entries (TOML, same format as data/generators.toml).
    #[arg(long, value_name = "FILE")]
    pub generators: Vec<PathBuf>,
    /// Judge certificate validity at this time (RFC 3339) instead of now, when a file has no
    /// trusted time-stamp.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Refuse files larger than this many bytes.
    #[arg(long = "max-file-size", value_name = "BYTES", default_value_t = provcheck::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Let the c2pa SDK judge every file, also those provcheck's own validation path covers
    /// (reports say which path judged a file: `validated_by`).
    #[arg(long = "sdk-only", conflicts_with = "cross_check")]
    pub sdk_only: bool,
    /// Run provcheck's own validation path and the c2pa SDK on every file the own path covers;
    /// the SDK's result is reported, a difference is a reason (`provcheck.crossCheck.differs`).
    #[arg(long = "cross-check")]
    pub cross_check: bool,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Files to verify.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Same as --format json: one JSON document (an array for several files).
    #[arg(long, conflicts_with_all = ["format", "jsonl"])]
    pub json: bool,
    /// Same as --format jsonl: one JSON object per line.
    #[arg(long, conflicts_with = "format")]
    pub jsonl: bool,
    /// Colour the verdict.
    #[arg(long, value_enum, default_value_t = WhenTerminal::Auto)]
    pub color: WhenTerminal,
    /// Mismatched unless the file is authenticated as this source (generator id, organisation or
    /// product, e.g. "microsoft", "Azure OpenAI", "adobe firefly").
    #[arg(long, value_name = "SOURCE")]
    pub expect: Option<String>,
    /// Show every reason, the certificate path and the coverage map.
    #[arg(short, long)]
    pub verbose: bool,
    /// A file still being checked after this many seconds gets a `provcheck.timeout` report.
    #[arg(long = "file-timeout", value_name = "SECONDS", default_value_t = 10.0)]
    pub file_timeout: f64,
    /// Also run the c2pa SDK's own trust check, to report whether it agrees with provcheck
    /// (`trust.agrees_with_c2pa`). provcheck's own chain evaluation decides either way.
    #[arg(long = "sdk-trust")]
    pub sdk_trust: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Args, Debug, Clone)]
pub struct ScanArgs {
    /// Files and folders to scan (folders recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// What goes to standard output: `text` (files needing attention as found, then the
    /// summary), `json` (the summary document), `jsonl` / `csv` (one record per file; the summary
    /// goes to stderr), `html` (the evidence report). Default: text for `scan`, html for
    /// `report`.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Also write one JSON report per line to FILE (`-` for standard output), as files finish.
    #[arg(long, value_name = "FILE")]
    pub jsonl: Option<PathBuf>,
    /// Also write one CSV row per file to FILE (`-` for standard output), as files finish.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Also write the HTML evidence report to FILE when the scan ends.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Also write the summary JSON document to FILE.
    #[arg(long = "summary-json", value_name = "FILE")]
    pub summary_json: Option<PathBuf>,
    /// Only check files matching GLOB (a pattern with `/` matches the path below the scanned
    /// folder, one without matches the file name). Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Pass over files and folders matching GLOB. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Descend at most N folders deep.
    #[arg(long = "max-depth", value_name = "N")]
    pub max_depth: Option<usize>,
    /// Follow symbolic links (loops are detected and reported).
    #[arg(long = "follow-symlinks")]
    pub follow_symlinks: bool,
    /// Print every path passed over, with the reason, to stderr.
    #[arg(long = "list-skipped")]
    pub list_skipped: bool,
    /// Files checked at once (default: one per core).
    #[arg(short, long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// A file still being checked after this many seconds gets a `provcheck.timeout` record.
    #[arg(long = "file-timeout", value_name = "SECONDS", default_value_t = 10.0)]
    pub file_timeout: f64,
    /// Check files in worker processes (the default): a hung worker is killed, an abort or
    /// stack overflow costs one record (`provcheck.crashed`), and memory per worker is capped.
    /// Measured no slower than threads (scripts/bench-scan.sh).
    #[arg(long, conflicts_with = "in_process")]
    pub isolate: bool,
    /// Check files on threads of this process instead of worker processes: a panic is still
    /// contained, but a hung file keeps its thread busy (a fresh thread takes over) and an abort
    /// ends the scan.
    #[arg(long = "in-process")]
    pub in_process: bool,
    /// Address-space cap per worker process, in MiB (0: no cap; not applied with --in-process).
    #[arg(long = "file-memory", value_name = "MIB", default_value_t = provcheck::scan::DEFAULT_MEMORY_LIMIT >> 20)]
    pub file_memory: u64,
    /// Pass over files already recorded in FILE (an earlier run's --jsonl) with the same path,
    /// size and modification time. With --jsonl FILE naming the same file, records are appended.
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// Progress bar on stderr (auto: when stderr is a terminal).
    #[arg(long, value_enum, default_value_t = WhenTerminal::Auto)]
    pub progress: WhenTerminal,
    /// Colour verdicts in text output.
    #[arg(long, value_enum, default_value_t = WhenTerminal::Auto)]
    pub color: WhenTerminal,
    /// Text output: print every file, not only those needing attention.
    #[arg(short, long)]
    pub verbose: bool,
    /// Mismatched unless a file is authenticated as this source.
    #[arg(long, value_name = "SOURCE")]
    pub expect: Option<String>,
    /// Also run the c2pa SDK's own trust check on every file, to report whether it agrees with
    /// provcheck (as `verify` does). About halves scan throughput; verdicts do not change.
    #[arg(long = "sdk-trust")]
    pub sdk_trust: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// Write the report here (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on (IP:PORT; port 0 picks a free one). Loopback by default; any other
    /// address needs --token-file or --insecure-no-auth.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on /v1/* and /metrics; the token is this file's
    /// content (surrounding whitespace removed, at least 16 bytes).
    #[arg(
        long = "token-file",
        value_name = "FILE",
        conflicts_with = "insecure_no_auth"
    )]
    pub token_file: Option<PathBuf>,
    /// Allow a non-loopback address without a token (only on a network you control).
    #[arg(long = "insecure-no-auth")]
    pub insecure_no_auth: bool,
    /// Worker processes, i.e. files checked at once (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub workers: usize,
    /// Verification requests that may wait for a worker; past `workers + queue` the answer is
    /// 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub queue: usize,
    /// Longest wait for a free worker (seconds) before 503.
    #[arg(long = "queue-timeout", value_name = "SECONDS", default_value_t = 10.0)]
    pub queue_timeout: f64,
    /// Largest request body in bytes (413 above).
    #[arg(long = "max-body", value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_body: u64,
    /// Request body bytes buffered at once over all requests (503 above).
    #[arg(long = "max-buffered", value_name = "BYTES", default_value_t = 1 << 30)]
    pub max_buffered: u64,
    /// Most files in one multipart request (413 above).
    #[arg(long = "max-files", value_name = "N", default_value_t = 64)]
    pub max_files: usize,
    /// Per-file time limit (seconds): past it the report says `provcheck.timeout` and the
    /// worker process is killed and replaced.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Time allowed to send a request head, and to keep an idle connection open (seconds).
    #[arg(
        long = "header-timeout",
        value_name = "SECONDS",
        default_value_t = 10.0
    )]
    pub header_timeout: f64,
    /// Time allowed to send a whole request body (seconds; 408 after).
    #[arg(long = "body-timeout", value_name = "SECONDS", default_value_t = 60.0)]
    pub body_timeout: f64,
    /// Connections open at once; more are closed on accept.
    #[arg(long = "max-connections", value_name = "N", default_value_t = 1024)]
    pub max_connections: usize,
    /// On SIGTERM / Ctrl-C, how long to let requests in flight finish (seconds).
    #[arg(long = "drain-timeout", value_name = "SECONDS", default_value_t = 30.0)]
    pub drain_timeout: f64,
    /// Address-space cap per worker process, in MiB (0: no cap).
    #[arg(long = "worker-memory", value_name = "MIB", default_value_t = provcheck::scan::DEFAULT_MEMORY_LIMIT >> 20)]
    pub worker_memory: u64,
    /// Also run the c2pa SDK's own trust check (reports `trust.agrees_with_c2pa` like `verify`).
    /// About halves throughput; verdicts do not change.
    #[arg(long = "sdk-trust")]
    pub sdk_trust: bool,
    /// Log format on stderr: one line per request and per file checked, with request ids.
    #[arg(long = "log-format", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

/// Output formats shared by the commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A compact human summary per file.
    Text,
    /// One JSON document: an object for one file, an array for several.
    Json,
    /// One JSON object per line, one line per file.
    Jsonl,
    /// One CSV row per file (see `render::csv::HEADER`).
    Csv,
    /// A self-contained HTML evidence page.
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// When a terminal-only feature is on (`--color`, `--progress`): `never`, `always`, or `auto`
/// (on when the stream it writes to is a terminal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WhenTerminal {
    Never,
    Auto,
    Always,
}

impl WhenTerminal {
    /// On for `always`; for `auto`, on when the stream is a terminal.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            WhenTerminal::Always => true,
            WhenTerminal::Never => false,
            WhenTerminal::Auto => terminal,
        }
    }

    /// Colour standard output (for `--color`)? `auto` also honours `NO_COLOR`.
    pub fn colours_stdout(self) -> bool {
        use std::io::IsTerminal;
        self.enabled(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
    }
}

impl VerifyArgs {
    pub fn output(&self) -> OutputFormat {
        if self.json {
            OutputFormat::Json
        } else if self.jsonl {
            OutputFormat::Jsonl
        } else {
            self.format
        }
    }
}
