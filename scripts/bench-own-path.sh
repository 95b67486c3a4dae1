#!/usr/bin/env bash
# provcheck's own validation path against the c2pa SDK's Reader, on the files the own path
# judges (issue 14). Picks the corpus files whose report says `"validated_by": "provcheck"`,
# copies them COPIES times (default 40) into target/bench-own-path/files, and scans that folder
# in one thread, in-process, with the own path (default) and with `--sdk-only`, ROUNDS times
# each (default 3, best kept), and times the read-and-hash floor (examples/hash_floor) and the
# bare SDK loop (examples/sdk_reader) on the same files, one thread. Prints files/s and the
# ratios; all runs are in the same script on the same machine, so the ratios are what to compare
# across machines. The floor ratio is the own path's ceiling check: input.sha256 and the data
# hash are two SHA-256 passes over nearly every byte, 2x the floor before anything else.
#
# Usage: scripts/bench-own-path.sh   (CORPUS=dir, COPIES=n, ROUNDS=n)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
CORPUS=${CORPUS:-../shared/corpus}
COPIES=${COPIES:-40}
ROUNDS=${ROUNDS:-3}
WORK=target/bench-own-path
BIN=target/release/provcheck
cargo build --release --quiet --bin provcheck --example hash_floor --example sdk_reader
rm -rf "$WORK" && mkdir -p "$WORK/files"
# (scan exits 1 when not every file is authentic)
{ "$BIN" scan --in-process "$CORPUS/generators" "$CORPUS/conformance" --format jsonl 2>/dev/null || true; } \
    | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r.get("validated_by") == "provcheck":
        print(r["input"]["path"])' > "$WORK/list.txt"
n=$(wc -l < "$WORK/list.txt")
[ "$n" -gt 0 ] || { echo "no file took the own path" >&2; exit 1; }
i=0
while read -r f; do
    for c in $(seq 1 "$COPIES"); do cp "$f" "$WORK/files/$i-$c-$(basename "$f")"; done
    i=$((i + 1))
done < "$WORK/list.txt"
total=$((n * COPIES))
best() { # command... -> best wall seconds over ROUNDS
    local b=
    for _ in $(seq 1 "$ROUNDS"); do
        local s e t
        s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}
own=$(best "$BIN" scan --in-process --jobs 1 "$WORK/files" --format jsonl)
sdk=$(best "$BIN" scan --in-process --jobs 1 --sdk-only "$WORK/files" --format jsonl)
printf '%d files (%d distinct own-path corpus files x %d), 1 thread, best of %d\n' "$total" "$n" "$COPIES" "$ROUNDS"
printf 'own path : %6.2f s  %7.1f files/s\n' "$own" "$(echo "$total / $own" | bc -l)"
printf 'SDK only : %6.2f s  %7.1f files/s\n' "$sdk" "$(echo "$total / $sdk" | bc -l)"
ls "$WORK"/files/* > "$WORK/files.txt"
floor=$(best target/release/examples/hash_floor --threads 1 "$WORK/files.txt")
reader=$(best target/release/examples/sdk_reader --threads 1 "$WORK/files.txt")
printf 'ratio    : %.2fx\n' "$(echo "$sdk / $own" | bc -l)"
printf 'floor    : %6.2f s  (read + SHA-256); own path = %.1fx the floor\n' "$floor" "$(echo "$own / $floor" | bc -l)"
printf 'sdk_reader: %5.2f s  (bare c2pa Reader loop); own path = %.2fx faster\n' "$reader" "$(echo "$reader / $own" | bc -l)"
