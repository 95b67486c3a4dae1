//! Which binary a test runs: the fault-injection hook lives only in `provcheck-test-hooks`.

/// The program a test runs: `provcheck`, or `provcheck-test-hooks` (the same CLI with the
/// fault-injection hook, built only with `--features test-hooks`) when the test injects a fault.
pub fn program(env: &[(&str, &str)]) -> &'static str {
    if !env.iter().any(|(k, _)| *k == "PROVCHECK_TEST_FAULT") {
        return env!("CARGO_BIN_EXE_provcheck");
    }
    // cargo sets CARGO_BIN_EXE_ for a binary whose required features are off too (pointing at
    // a stale or missing file), so the feature itself decides.
    match option_env!("CARGO_BIN_EXE_provcheck-test-hooks") {
        Some(hooked) if cfg!(feature = "test-hooks") => hooked,
        _ => panic!(
            "this test injects faults (PROVCHECK_TEST_FAULT) and needs the provcheck-test-hooks \
             binary, which is built only with the test-hooks feature: run \
             `cargo test --release --features test-hooks` (the README's test command)"
        ),
    }
}
