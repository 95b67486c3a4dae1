#!/usr/bin/env bash
# Load test of `provcheck serve` on loopback, with oha (installed by this script), against
# `provcheck scan` on the same files and cores:
#
#   1. throughput and p50/p99 latency at 1, 8 and 64 concurrent clients over a mix of corpus
#      files (the first media file of each folder of ../shared/corpus/generators: one per signer),
#      and the peak RSS of the server plus its worker processes;
#   2. a soak of SOAK requests (default 50,000), HOSTILE_PCT % (default 5) of them hostile files
#      (TIFF IFD bomb, RIFF bomb, malformed MP3 / CAWG CBOR, random bytes, a truncated JPEG):
#      every response must be 200 with a report, the server must not crash, and the RSS after
#      warm-up must stay flat (the growth from the first to the last fifth is reported);
#   3. `provcheck scan` files/s on a folder holding the same mix (REQUESTS files), and the ratio
#      of scan files/s to serve requests/s at 64 clients.
#
# Usage: scripts/load-serve.sh        (about 5 minutes on 2 idle cores, plus the build and, the
#                                     first time, building oha: about 6 minutes)
#
# Environment:
#   REQUESTS=2000     requests per concurrency level (split evenly over the mix files)
#   SOAK=50000        requests in the soak
#   HOSTILE_PCT=5     share of hostile requests in the soak (percent)
#   SOAK_CLIENTS=16   concurrent clients in the soak
#   OHA=path          the oha binary (default: ~/.cache/provcheck-bench/oha/bin/oha, installed
#                     with `cargo install oha --locked` when missing, native-tls backend when
#                     OpenSSL's headers are there)
#   NO_BUILD=1        skip `cargo build`
#   PROVCHECK=path    the provcheck binary (default: target/release/provcheck)
#
# Every request goes to 127.0.0.1 (the server binds an ephemeral loopback port). Each oha run
# has a request count and a per-request time limit, and each step a wall-clock limit, so the
# script ends by itself. Results: target/load-serve/results.md
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
cd "$ROOT"

CORPUS="$ROOT/../shared/corpus"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT="$TARGET_DIR/load-serve"
RESULTS="$OUT/results.md"
PROVCHECK=${PROVCHECK:-$TARGET_DIR/release/provcheck}
CACHE=${PROVCHECK_BENCH_CACHE:-$HOME/.cache/provcheck-bench}
OHA=${OHA:-$CACHE/oha/bin/oha}
OHA_VERSION=1.16.0
REQUESTS=${REQUESTS:-2000}
SOAK=${SOAK:-50000}
HOSTILE_PCT=${HOSTILE_PCT:-5}
SOAK_CLIENTS=${SOAK_CLIENTS:-16}
MEDIA_RE='\.(jpe?g|png|gif|webp|tiff?|dng|heic|heif|avif|jxl|svg|mp4|mov|m4a|wav|avi|mp3|flac|pdf)$'

say() { printf '%s\n' "$*" >&2; }
die() { say "load-serve: $*"; exit 1; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
# share TOTAL PARTS INDEX: part INDEX of TOTAL split as evenly as possible
share() { echo $(( $1 / $2 + ($3 < $1 % $2 ? 1 : 0) )); }

[[ -d $CORPUS/generators ]] || die "$CORPUS/generators not found"
command -v python3 >/dev/null || die "python3 is needed for the statistics (sqlite3 module)"
rm -rf "$OUT"
mkdir -p "$OUT"

# ---------------------------------------------------------------------------------------------
# 1. Build provcheck and install oha
if [[ -z ${NO_BUILD:-} ]]; then
    say "== cargo build --release --bin provcheck"
    cargo build --release --bin provcheck
fi
[[ -x $PROVCHECK ]] || die "missing $PROVCHECK"
if [[ ! -x $OHA ]]; then
    # oha needs one TLS backend to compile; native-tls links the system OpenSSL (libssl-dev),
    # much quicker to build than the default rustls one. Only plain HTTP to loopback is used.
    if pkg-config --exists openssl 2>/dev/null; then
        tls=(--no-default-features --features native-tls)
    else
        tls=()
    fi
    say "== installing oha $OHA_VERSION into $CACHE/oha (cargo install ${tls[*]})"
    cargo install oha --version "$OHA_VERSION" --locked "${tls[@]}" --root "$CACHE/oha"
fi
[[ -x $OHA ]] || die "oha not found at $OHA"

# ---------------------------------------------------------------------------------------------
# 2. The files: the mix (one real generator file per signer folder) and the hostile set
MIX=()
for d in "$CORPUS"/generators/*/; do
    f=$(find "$d" -maxdepth 1 -type f | grep -E -i "$MEDIA_RE" | sort | head -n 1 || true)
    [[ -n $f ]] && MIX+=("$f")
done
M=${#MIX[@]}
(( M >= 4 )) || die "only $M mix files found"
HOSTILE=()
for f in tiff/tiff_poc.tiff wav/riff_bomb_1000.wav mp3/id3v23_compression_underflow.mp3 \
         jpeg/cawg-vm-malformed_cbor.jpg; do
    [[ -f $CORPUS/conformance/$f ]] && HOSTILE+=("$CORPUS/conformance/$f")
done
head -c 300000 /dev/urandom > "$OUT/random.jpg"
head -c 100000 "${MIX[0]}" > "$OUT/truncated.$(basename "${MIX[0]}" | sed 's/.*\.//')"
HOSTILE+=("$OUT/random.jpg" "$OUT"/truncated.*)
H=${#HOSTILE[@]}
say "== mix: $M files; hostile: $H files"

# ---------------------------------------------------------------------------------------------
# 3. Start the server (ephemeral loopback port) and an RSS sampler (server + workers, KiB)
"$PROVCHECK" serve --listen 127.0.0.1:0 --log-format json >"$OUT/serve.out" 2>"$OUT/serve.log" &
SERVER=$!
SAMPLER=
cleanup() {
    [[ -n $SAMPLER ]] && kill "$SAMPLER" 2>/dev/null || true
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do
    grep -q 'listening on' "$OUT/serve.out" 2>/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || die "the server did not start: $(tail -5 "$OUT/serve.log")"
    sleep 0.1
done
BASE=$(sed -n 's/.*listening on //p' "$OUT/serve.out" | head -n 1)
[[ $BASE == http://127.0.0.1:* ]] || die "no loopback address from the server: $BASE"
say "== server $SERVER at $BASE"

tree_rss() {
    local total=0 p r
    for p in "$SERVER" $(ps -o pid= --ppid "$SERVER" 2>/dev/null); do
        r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0)
        total=$((total + ${r:-0}))
    done
    echo "$total"
}
(
    t0=$(now)
    while kill -0 "$SERVER" 2>/dev/null; do
        printf '%s\t%s\t%s\n' "$(calc "$(now) - $t0")" "$(tree_rss)" "$(cat "$OUT/phase" 2>/dev/null || echo idle)"
        sleep 0.5
    done
) >"$OUT/rss.tsv" &
SAMPLER=$!

# oha_run NAME FILE REQUESTS CLIENTS: one oha process POSTing FILE, per-request limit 60 s,
# every request recorded in $OUT/NAME.db, summary in $OUT/NAME.json.
oha_run() {
    local name=$1 file=$2 n=$3 c=$4
    timeout 900 "$OHA" --no-tui --output-format json -o "$OUT/$name.json" --db-url "$OUT/$name.db" \
        -n "$n" -c "$c" -t 60s -m POST -T application/octet-stream -D "$file" \
        "$BASE/v1/verify?name=$(basename "$file")" >/dev/null
}

# stats NAME WALL_SECONDS DB...: requests, non-200, errors, req/s, p50, p99 (ms), as TSV
stats() {
    local name=$1 wall=$2
    shift 2
    python3 - "$name" "$wall" "$@" <<'PY'
import json, sqlite3, sys, os
name, wall, dbs = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
durations, non200, errors = [], 0, 0
for db in dbs:
    if os.path.exists(db):
        con = sqlite3.connect(db)
        for d, s in con.execute("select duration, status from oha"):
            durations.append(d)
            non200 += s != 200
    js = db[:-3] + ".json"
    if os.path.exists(js):
        errors += sum(json.load(open(js)).get("errorDistribution", {}).values())
    else:
        errors += 1
durations.sort()
def pct(p):
    return 1000 * durations[min(len(durations) - 1, int(p * len(durations)))] if durations else float("nan")
print(f"{name}\t{len(durations)}\t{non200}\t{errors}\t{len(durations) / wall:.1f}\t{pct(0.50):.1f}\t{pct(0.99):.1f}")
PY
}

# level CLIENTS: REQUESTS requests over the mix. One client: the files one after another.
# More: one oha process per file, CLIENTS/M clients each, all at once.
level() {
    local c=$1 i dbs=() t0 t1
    echo "c$c" >"$OUT/phase"
    t0=$(now)
    if (( c == 1 )); then
        for i in "${!MIX[@]}"; do
            oha_run "c$c-$i" "${MIX[$i]}" "$(share "$REQUESTS" "$M" "$i")" 1
            dbs+=("$OUT/c$c-$i.db")
        done
    else
        local pids=() each=$(( c / M > 0 ? c / M : 1 ))
        for i in "${!MIX[@]}"; do
            oha_run "c$c-$i" "${MIX[$i]}" "$(share "$REQUESTS" "$M" "$i")" "$each" &
            pids+=($!)
            dbs+=("$OUT/c$c-$i.db")
        done
        wait "${pids[@]}"
    fi
    t1=$(now)
    stats "$c" "$(calc "$t1 - $t0")" "${dbs[@]}"
}

say "== warm-up"
for f in "${MIX[@]}"; do oha_run "warm-$(basename "$f")" "$f" 4 1; done

# `provcheck scan` on the same files (REQUESTS copies of the mix), same cores, run right before
# and right after the 64-client level so that both see the same machine (the mean is compared).
mkdir -p "$OUT/scan-files"
for k in $(seq 0 $(( REQUESTS / M - 1 ))); do
    for i in "${!MIX[@]}"; do
        cp "${MIX[$i]}" "$OUT/scan-files/$k-$i-$(basename "${MIX[$i]}")"
    done
done
scan_fps() {
    echo scan >"$OUT/phase"
    timeout 900 "$PROVCHECK" scan --format json "$OUT/scan-files" >"$OUT/scan-summary.json" 2>/dev/null || true
    python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["files_per_second"], 1))' "$OUT/scan-summary.json"
}
SCAN_FILES=$(find "$OUT/scan-files" -type f | wc -l)

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'clients\trequests\tnon_200\terrors\treq_per_s\tp50_ms\tp99_ms\n' >"$OUT/levels.tsv"
for c in 1 8 64; do
    if (( c == 64 )); then
        SCAN_BEFORE=$(scan_fps)
        say "== provcheck scan: $SCAN_BEFORE files/s"
    fi
    say "== $c concurrent clients, $REQUESTS requests"
    level "$c" | tee -a "$OUT/levels.tsv" >&2
done
SCAN_AFTER=$(scan_fps)
say "== provcheck scan: $SCAN_AFTER files/s"

# ---------------------------------------------------------------------------------------------
# 4. Soak: SOAK requests, HOSTILE_PCT % hostile, SOAK_CLIENTS clients
echo soak >"$OUT/phase"
HOSTILE_N=$(( SOAK * HOSTILE_PCT / 100 ))
NORMAL_N=$(( SOAK - HOSTILE_N ))
say "== soak: $NORMAL_N requests over the mix + $HOSTILE_N hostile, $SOAK_CLIENTS clients"
pids=()
dbs=()
t0=$(now)
normal_clients=$(( SOAK_CLIENTS * (100 - HOSTILE_PCT) / 100 / M ))
(( normal_clients >= 1 )) || normal_clients=1
for i in "${!MIX[@]}"; do
    oha_run "soak-$i" "${MIX[$i]}" "$(share "$NORMAL_N" "$M" "$i")" "$normal_clients" &
    pids+=($!)
    dbs+=("$OUT/soak-$i.db")
done
for i in "${!HOSTILE[@]}"; do
    oha_run "soak-hostile-$i" "${HOSTILE[$i]}" "$(share "$HOSTILE_N" "$H" "$i")" 1 &
    pids+=($!)
    dbs+=("$OUT/soak-hostile-$i.db")
done
wait "${pids[@]}"
t1=$(now)
echo idle >"$OUT/phase"
SOAK_WALL=$(calc "$t1 - $t0")
SOAK_STATS=$(stats soak "$SOAK_WALL" "${dbs[@]}")
HOSTILE_STATS=$(stats hostile "$SOAK_WALL" "$OUT"/soak-hostile-*.db)
say "$SOAK_STATS"
ALIVE=yes
kill -0 "$SERVER" 2>/dev/null || ALIVE=no
HEALTH=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz" 2>/dev/null || echo none)
curl -s "$BASE/metrics" >"$OUT/metrics.txt" 2>/dev/null || true
HOSTILE_VERDICTS=$(for f in "${HOSTILE[@]}"; do
    printf '%s: %s\n' "$(basename "$f")" "$(curl -s --data-binary @"$f" "$BASE/v1/verify?name=$(basename "$f")" \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], ",".join(x["code"] for x in r["reasons"] if x["severity"]=="failure")[:80])')"
done)

# RSS: peak over the run; flatness over the soak (median of its first fifth after warm-up vs
# its last fifth).
read -r PEAK_RSS SOAK_EARLY SOAK_LATE < <(python3 - "$OUT/rss.tsv" <<'PY'
import sys, statistics
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l.count("\t") == 2]
peak = max(int(r[1]) for r in rows)
soak = [int(r[1]) for r in rows if r[2] == "soak"]
n = len(soak)
early = statistics.median(soak[n // 10 : max(n // 10 + 1, 3 * n // 10)]) if n else 0
late = statistics.median(soak[-max(1, n // 5):]) if n else 0
print(peak, int(early), int(late))
PY
)

RPS64=$(awk -F'\t' '$1 == 64 { print $5 }' "$OUT/levels.tsv")
SCAN_FPS=$(calc "($SCAN_BEFORE + $SCAN_AFTER) / 2")
RATIO=$(calc "$SCAN_FPS / $RPS64")
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# 6. Results
{
    echo "# provcheck serve load test ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
    echo
    echo "Mix ($M files, one per signer folder of the generator corpus): $(for f in "${MIX[@]}"; do basename "$f"; done | paste -sd, | sed 's/,/, /g')."
    echo
    echo "| clients | requests | non-200 | errors | requests/s | p50 ms | p99 ms |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
    tail -n +2 "$OUT/levels.tsv" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
    echo
    echo "Peak RSS, server + worker processes: $(( PEAK_RSS / 1024 )) MiB."
    echo
    echo "Soak: $SOAK requests ($HOSTILE_N hostile over $H files), $SOAK_CLIENTS clients, ${SOAK_WALL%.*} s:"
    echo "$SOAK_STATS" | awk -F'\t' '{ printf "%s answered, %s non-200, %s connection errors, %s requests/s, p50 %s ms, p99 %s ms", $2, $3, $4, $5, $6, $7 }'
    echo "$HOSTILE_STATS" | awk -F'\t' '{ printf " (hostile: %s answered, %s non-200, p99 %s ms).\n", $2, $3, $7 }'
    echo "Server alive after the soak: $ALIVE (healthz $HEALTH). RSS (server + workers) after warm-up $(( SOAK_EARLY / 1024 )) MiB, at the end $(( SOAK_LATE / 1024 )) MiB ($(calc "100 * ($SOAK_LATE - $SOAK_EARLY) / $SOAK_EARLY" | awk '{ printf "%+.1f", $1 }') %)."
    echo
    echo "Hostile files, as answered:"
    echo
    echo "$HOSTILE_VERDICTS" | sed 's/^/- /'
    echo
    echo "\`provcheck scan\` on $SCAN_FILES copies of the mix: $SCAN_BEFORE files/s before and $SCAN_AFTER after the 64-client level (mean $(printf '%.1f' "$SCAN_FPS")); serve at 64 clients: $RPS64 requests/s; ratio scan/serve $(printf '%.2f' "$RATIO")x (target: at most 1.3x). Load average (1, 5, 15 min) at the start $LOAD_START, at the end $LOAD_END: other work on the machine shows there."
    echo
    echo "Metrics after the run:"
    echo
    echo '```'
    grep -E '^provcheck_(verdicts_total|rejected_total|worker_restarts_total|http_requests_total)' "$OUT/metrics.txt" || true
    echo '```'
} >"$RESULTS"
cat "$RESULTS"
[[ $ALIVE == yes ]] || die "the server died during the soak"
