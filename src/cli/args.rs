//! Command-line arguments (clap derive), kept apart from the work they drive.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::OutputFormat;

#[derive(Parser, Debug)]
#[command(
    name = "provcheck",
    version = crate::cli::LONG_VERSION,
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
    #[arg(long = "max-file-size", value_name = "BYTES", default_value_t = crate::verifier::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
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
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Mismatched unless the file is authenticated as this source (generator id, organisation or
    /// product, e.g. "microsoft", "Azure OpenAI", "adobe firefly").
    #[arg(long, value_name = "SOURCE")]
    pub expect: Option<String>,
    /// Show every reason and the certificate path.
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Never,
    Auto,
    Always,
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
