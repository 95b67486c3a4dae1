//! provcheck's integration tests, as one test binary: each file here is a module (run one with
//! `cargo test --release --features test-hooks --test suite differential::`). One binary instead
//! of one per file: each would link the c2pa SDK and compile the test kit (`common`) again, which
//! cost CI about five minutes. Two stay their own small binaries: tests/scan.rs, which CI also
//! builds without the test-hooks feature (what users build; the Python tests run the CLI that
//! build makes), and tests/output_safety.rs, which measures its children's peak RSS with `wait4`:
//! a child spawned from this process starts with this process's peak RSS (Linux carries it
//! across `exec`), which the differential tests raise past a gigabyte.

mod common;
#[path = "../support/hooks.rs"]
mod hooks;
mod own_path;

mod attacks;
mod boxhash;
mod cli;
mod conformance;
mod differential;
mod embed;
mod forged;
mod hostile;
mod hostile_fields;
mod mutation;
mod own_path_assertions;
mod own_path_bmff;
mod own_path_depth;
mod own_path_failures;
mod own_path_gif_tiff;
mod own_path_ocsp;
mod own_path_resigned;
mod own_path_v2;
mod own_path_webp;
mod precision;
mod schema;
mod serve;
mod verify_many;
