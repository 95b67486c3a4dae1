#!/usr/bin/env bash
# Two commands timed in alternating pairs (A then B, N times), so that a noisy machine's load
# falls on both alike; prints each pair and the median of the A/B wall-time ratios.
#   scripts/bench-pair.sh N CMD_A... -- CMD_B...
# Example (c2pa's pure-Rust backend against the default OpenSSL one):
#   cargo build --release --no-default-features --features rust-native-crypto --target-dir target/native
#   scripts/bench-pair.sh 3 target/native/release/provcheck scan --format jsonl target/bench-scan/files \
#     -- target/release/provcheck scan --format jsonl target/bench-scan/files
set -euo pipefail
N=${1:?usage: bench-pair.sh N CMD_A... -- CMD_B...}
shift
A=()
while [[ $# -gt 0 && "$1" != "--" ]]; do A+=("$1"); shift; done
[[ $# -gt 1 ]] || { echo "usage: bench-pair.sh N CMD_A... -- CMD_B..." >&2; exit 2; }
shift
B=("$@")
now() { date +%s.%N; }
# provcheck exits 1 when any file is not authentic: only a code above 1 is a failed run
run() { local rc=0; "$@" >/dev/null 2>&1 || rc=$?; [[ $rc -le 1 ]] || { echo "failed ($rc): $*" >&2; exit 1; }; }
ratios=()
echo "pair  A (s)  B (s)  A/B"
for i in $(seq "$N"); do
  s=$(now); run "${A[@]}"
  m=$(now); run "${B[@]}"
  e=$(now)
  line=$(python3 -c "a=$m-$s;b=$e-$m;print(f'{a:.2f} {b:.2f} {a/b:.2f}')")
  echo "$i     $line"
  ratios+=("${line##* }")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{r[NR]=$1} END{print "median A/B: " r[int((NR+1)/2)] "x"}'
