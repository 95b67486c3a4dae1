fn main() -> std::process::ExitCode {
    provcheck::cli::main()
}
