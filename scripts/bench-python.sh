#!/usr/bin/env bash
# Benchmark of issue 12 (not a timed test): on a folder of BENCH_FILES corpus media files (the
# folder of scripts/bench-scan.sh if it exists, else one built the same way),
#   provcheck (Python)   Verifier.verify_many(paths, threads=N); one thread per core calling
#                        verify_path; both with sdk_trust off (as `scan`) and on (as `verify`);
#                        verify_path in a loop on one thread against `scan --jobs 1 --in-process`
#                        (the binding's cost per call)
#   c2pa-python          Reader(path) + .json() per file, one process per core (and 1 process),
#                        with remote manifest and OCSP fetching off (provcheck never fetches)
#   provcheck.ray        the Ray scan against `provcheck scan`: on a one-machine cluster started
#                        before (`ray start --head --block`, not timed; the target's case), and
#                        with Ray's start-up inside the command (`--address local`)
# Writes target/bench-python/results.md. Needs the venv of scripts/test-python.sh (it runs the
# parts of it that build the wheel, then pip-installs c2pa-python into the same venv).
#   BENCH_FILES=2000  files in the folder     ROUNDS=1  rounds of each measurement (best kept)
#   BENCH_PARTS=ray   only `provcheck scan` and the Ray rows
#   BENCH_PARTS=binding  only the binding (sdk_trust off) and c2pa-python rows, with pairs
#   BENCH_PARTS=classes  the binding against c2pa-python per class of file (judged by provcheck's
#                        own path, by the c2pa SDK, by neither), with what reading and hashing
#                        each file once costs (examples/hash_floor): where the ratio comes from
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/target/pyvenv"
OUT="$ROOT/target/bench-python"
BENCH_FILES=${BENCH_FILES:-2000}
mkdir -p "$OUT"
if [[ -d target/bench-scan/files ]] && [[ $(find target/bench-scan/files -type f | wc -l) -ge $BENCH_FILES ]]; then
  FILES=target/bench-scan/files
else
  FILES="$OUT/files"
  if [[ $(find "$FILES" -type f 2>/dev/null | wc -l) -ne $BENCH_FILES ]]; then
    rm -rf "$FILES"; mkdir -p "$FILES"
    MEDIA_RE='\.(jpe?g|png|gif|webp|tiff?|dng|heic|heif|avif|jxl|svg|mp4|mov|m4a|wav|avi|mp3|flac|pdf)$'
    mapfile -t SRC < <(find ../shared/corpus -type f | grep -Ei "$MEDIA_RE" | grep -v 'tiff_poc\.tiff$' | LC_ALL=C sort)
    for ((i = 0; i < BENCH_FILES; i++)); do
      s=${SRC[$((i % ${#SRC[@]}))]}
      cp "$s" "$FILES/$(printf '%05d' "$i")-$(basename "$s")"
    done
  fi
fi
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import provcheck, ray' 2>/dev/null; then
  PROVCHECK_SKIP_RAY=1 scripts/test-python.sh -q -k versions >/dev/null
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "c2pa-python==0.38.1"
cargo build --release --bin provcheck --example hash_floor -q
"$VENV/bin/python" scripts/bench_python.py "$FILES" "$OUT/results.md" "${ROUNDS:-1}"
