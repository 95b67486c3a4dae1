#!/usr/bin/env bash
# The Python package's tests (issue 12): a venv under target/, the wheel built with maturin into
# it (abi3, with the test-only fault hook), then pytest on python/tests, including the two-node
# Ray cluster test. Installs what it needs itself (PyPI). Run from anywhere.
#   PROVCHECK_REQUIRE_CORPUS=1  fail instead of skipping when ../shared/corpus is missing
#   PROVCHECK_SKIP_RAY=1        leave out the Ray tests (they need ~1 GB of RAM and 1-2 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}
VENV="$ROOT/target/pyvenv"
# Versions that work on CPython 3.11 here (2026-11).
PINS=("maturin==1.16.0" "pytest==9.2.0" "pyarrow==26.0.1" "ray[data]==2.60.0")
if [[ ! -x "$VENV/bin/python" ]]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PINS[@]}"
# The CLI the tests compare with, and the wheel; both share target/ so the wheel reuses the
# release build of the provcheck crate's dependencies. The CLI is built as `cargo test` builds
# it (for tests/scan.rs, the small test binary, with the features the dev-dependencies add to
# shared crates: python/Cargo.toml pins the same ones), so after the README's `cargo test`
# neither it nor the wheel compiles c2pa and its tree again (a plain `cargo build` resolves
# other features and did: about 6 minutes of CI).
cargo test --release --no-run --test scan
# Stop when the wheel's workspace resolves a dependency with features the root's test build does
# not have: the wheel would compile c2pa and its tree a second time (3-6 minutes of CI, unnoticed
# while this was a warning: session 20's `rsa` dev-dependency). Proc-macros are left out, as
# their host build's features otherwise hide a difference in the target's (digest's `oid`).
tree() { cargo tree -q -f '{p} {f}' --prefix none "$@" | sed 's/ (\*)//' | sort -u; }
drift=$(comm -13 <(tree -e normal,build,dev,no-proc-macro) <(cd python && tree -e normal,build,no-proc-macro) |
  grep -v -E '^(provcheck|pyo3|memoffset|target-lexicon|unindent|indoc)' || true)
if [[ -n "$drift" ]]; then
  echo "test-python.sh: the wheel resolves features the test build lacks, so it would compile" \
    "them again; add them to the feature pins in python/Cargo.toml:" >&2
  echo "$drift" >&2
  exit 1
fi
rm -rf "$ROOT/target/wheels-py"
CARGO_TARGET_DIR="$ROOT/target" "$VENV/bin/maturin" build --release --quiet \
  -m python/Cargo.toml --features test-hooks -i "$VENV/bin/python" --out "$ROOT/target/wheels-py"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
  "$ROOT"/target/wheels-py/provcheck-*.whl
# Run from python/tests so `import provcheck` is the installed wheel, not the source folder.
cd "$ROOT/python/tests"
PROVCHECK_BIN="$ROOT/target/release/provcheck" PROVCHECK_CORPUS="$ROOT/../shared/corpus" \
  "$VENV/bin/python" -m pytest -q -rs -p no:cacheprovider "$@" .
