//! provcheck with its test hooks installed, for the scan tests only: with
//! `PROVCHECK_TEST_FAULT=panic:NAME`, `hang:NAME` or `abort:NAME`, the check of any file whose
//! path contains NAME panics, never returns or aborts its process. Built only with the
//! `test-hooks` feature (`cargo test --release --features test-hooks`); `provcheck` itself never
//! honours the variable. The command is the same source as `provcheck`'s (src/cli/).

#[path = "../cli/mod.rs"]
mod cli;

fn main() -> std::process::ExitCode {
    provcheck::scan::test_hooks::install();
    cli::main()
}
