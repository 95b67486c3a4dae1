//! The `provcheck` command: a client of the provcheck library's public API (src/cli/).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
