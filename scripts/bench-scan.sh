#!/usr/bin/env bash
# Throughput of `provcheck scan` on a folder of >= 2,000 real C2PA files, against the baselines
# from the issue "Scan a folder of a million images":
#
#   c2patool 0.27.22, one process per file, serial and with `xargs -P $(nproc)`
#   examples/sdk_reader   the c2pa SDK called directly (one shared Context), 1 and N threads
#   examples/hash_floor   read + SHA-256 of every byte (ring), 1 and N threads; plus sha256sum
#   provcheck scan        --jobs 1 and --jobs N on threads (--in-process), --jobs N in worker
#                         processes (the default); peak RSS
#   fast-path share       files whose report says "validated_by": "provcheck" (a report without the
#                         field counts as "c2pa")
#   verify latency        `provcheck verify SAMPLE` against `c2patool SAMPLE`, process start to exit
#                         (LATENCY_RUNS runs each, median; hyperfine when installed, else a loop)
#
# Usage: scripts/bench-scan.sh            (from any directory; about 2.5 minutes on 2 idle cores,
#                                         plus the build and, the first time, the folder copy)
#
# Environment:
#   ROUNDS=3            rounds of each fast measurement (scan, sdk_reader, hash_floor, sha256sum);
#                       the median is reported
#   C2PATOOL_ROUNDS=1   rounds of the two c2patool measurements (slow: one process per file)
#   BENCH_FILES=2000    files in the bench folder
#   BENCH_EXCLUDE=...   extended regex of corpus paths left out of the folder (default: the TIFF
#                       IFD bomb, which takes the c2pa SDK 85 s and 1.1 GB per copy)
#   C2PATOOL=path       c2patool binary (else $XDG_CACHE_HOME/provcheck-bench/c2patool/bin/c2patool,
#                       ~/.cache when XDG_CACHE_HOME is unset; installed there with cargo if absent)
#   C2PATOOL_TIMEOUT=60 per-file limit for c2patool in seconds (0 = none); a timed-out file
#                       counts its full limit
#   LATENCY_RUNS=30     runs of each single-file latency measurement
#   LATENCY_SAMPLE=...  the file for it (default: samples/bing_creator_cloud_surfing_puppy.jpg)
#   NO_BUILD=1          skip `cargo build`
#   PROVCHECK=path      the provcheck binary to time (default: target/release/provcheck)
#
# The corpus is ../shared/corpus relative to the project root. Results: target/bench-scan/results.md
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
cd "$ROOT"

CORPUS_REL=../shared/corpus
CORPUS="$ROOT/$CORPUS_REL"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BENCH_DIR="$TARGET_DIR/bench-scan"
FILES_DIR="$BENCH_DIR/files"
LIST="$BENCH_DIR/files.txt"
RESULTS="$BENCH_DIR/results.md"
PROVCHECK=${PROVCHECK:-$TARGET_DIR/release/provcheck}
SDK_READER="$TARGET_DIR/release/examples/sdk_reader"
HASH_FLOOR="$TARGET_DIR/release/examples/hash_floor"

NPROC=$(nproc)
ROUNDS=${ROUNDS:-3}
C2PATOOL_ROUNDS=${C2PATOOL_ROUNDS:-1}
BENCH_FILES=${BENCH_FILES:-2000}
BENCH_EXCLUDE=${BENCH_EXCLUDE:-/tiff_poc\.tiff$}
C2PATOOL_TIMEOUT=${C2PATOOL_TIMEOUT:-60}
C2PATOOL_VERSION=0.27.22
# Media types provcheck (and the c2pa SDK) read; everything else in the corpus (README, TSV,
# licences, certificates, fonts) stays out.
MEDIA_RE='\.(jpe?g|png|gif|webp|tiff?|dng|heic|heif|avif|jxl|svg|mp4|mov|m4a|wav|avi|mp3|flac|pdf)$'

# Backtrace capture (RUST_BACKTRACE=1 in some environments) makes every c2patool error path slower.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE

SCRIPT_START=$(date +%s.%N)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say() { printf '%s\n' "$*" >&2; }
die() { say "bench-scan: $*"; exit 1; }
now() { date +%s.%N; }
# Floating-point arithmetic (awk): calc "1.5 / 3"
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.6f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

mkdir -p "$BENCH_DIR"

# ---------------------------------------------------------------------------------------------
# 1. Build
if [[ -z ${NO_BUILD:-} ]]; then
    say "== cargo build --release --bin provcheck --examples"
    cargo build --release --bin provcheck --examples
fi
for b in "$PROVCHECK" "$SDK_READER" "$HASH_FLOOR"; do
    [[ -x $b ]] || die "missing $b (build failed?)"
done

# ---------------------------------------------------------------------------------------------
# 2. The bench folder: BENCH_FILES copies of the corpus media files, round-robin, distinct names.
[[ -d $CORPUS/conformance && -d $CORPUS/generators ]] ||
    die "corpus not found at $CORPUS_REL (resolved: $CORPUS)"
SOURCES="$BENCH_DIR/sources.txt"
(cd "$ROOT" && find "$CORPUS_REL/conformance" "$CORPUS_REL/generators" -type f) |
    grep -iE "$MEDIA_RE" | { grep -vE "$BENCH_EXCLUDE" || true; } | LC_ALL=C sort >"$SOURCES"
NSRC=$(wc -l <"$SOURCES")
((NSRC > 0)) || die "no media files in $CORPUS_REL"
# The folder is reused when it was completed from the same sources and count.
STAMP="$BENCH_DIR/files.complete"
WANT_STAMP="$BENCH_FILES $(xargs -d '\n' stat -c '%n %s %Y' <"$SOURCES" | sha256sum | cut -c1-16)"
if [[ -f $STAMP && $(cat "$STAMP") == "$WANT_STAMP" && -d $FILES_DIR &&
    $(find "$FILES_DIR" -type f | wc -l) -eq $BENCH_FILES ]]; then
    say "== reusing $FILES_DIR"
else
    say "== building $FILES_DIR: $BENCH_FILES files from $NSRC corpus media files"
    rm -rf "$FILES_DIR" "$STAMP"
    mkdir -p "$FILES_DIR"
    mapfile -t SRC <"$SOURCES"
    for ((i = 0; i < BENCH_FILES; i++)); do
        src=${SRC[i % NSRC]}
        printf '%s\0%s\0' "$src" "$FILES_DIR/$(printf '%05d' "$i")-$(basename "$src")"
    done | xargs -0 -n 2 cp --
    printf '%s\n' "$WANT_STAMP" >"$STAMP"
fi
find "$FILES_DIR" -type f | LC_ALL=C sort >"$LIST"
NFILES=$(wc -l <"$LIST")
NBYTES=$(xargs -d '\n' stat -c '%s' <"$LIST" | awk '{ s += $1 } END { printf "%d", s }')
MB=$(calc "$NBYTES / 1e6")
say "$(printf '== %d files, %.1f MB (%.2f MB average; %d distinct corpus files, excluded: %s)' \
    "$NFILES" "$MB" "$(calc "$MB / $NFILES")" "$NSRC" "$BENCH_EXCLUDE")"
# Warm the page cache so every method reads from memory (this measures CPU, not the disk).
xargs -d '\n' cat <"$LIST" >/dev/null

# ---------------------------------------------------------------------------------------------
# Measurements, by key: label, threads, rounds, median wall seconds, median CPU seconds, note,
# largest peak RSS (KiB, where GNU time could measure it).
declare -A SECS CPU CPU_MIN ROUNDS_OF NOTE RSS THREADS LABEL
ORDER=()
record() { # key label threads rounds seconds note [rss_kib]
    ORDER+=("$1")
    LABEL[$1]=$2 THREADS[$1]=$3 ROUNDS_OF[$1]=$4 SECS[$1]=$5 NOTE[$1]=$6 RSS[$1]=${7:-}
}

HAVE_GNU_TIME=
if /usr/bin/time -f '%M' true >/dev/null 2>&1; then
    HAVE_GNU_TIME=1
elif command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
    say "== installing GNU time for peak RSS"
    if apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq time >/dev/null 2>&1; }; then
        HAVE_GNU_TIME=1
    fi
fi
[[ -n $HAVE_GNU_TIME ]] || say "== GNU time not available: no peak RSS"

# CPU seconds (user + sys, this shell and its reaped children) between two `times` outputs
# (4 lines: before, after; each "shell-user shell-sys" then "children-user children-sys").
cpu_delta() {
    awk '{ for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); t += a[1] * 60 + a[2] }
           if (NR <= 2) before += t; else after += t; t = 0 }
         END { printf "%.3f", after - before }'
}

# timed_rounds KEY LABEL THREADS ROUNDS NOTE CMD...: run CMD ROUNDS times (stdout to
# $BENCH_DIR/KEY.out, last round kept), record the median wall time and the largest peak RSS.
timed_rounds() {
    local key=$1 label=$2 threads=$3 rounds=$4 note=$5
    shift 5
    local walls=() cpus=() rss=0 r t0 t1 rc m
    for ((r = 1; r <= rounds; r++)); do
        times >"$BENCH_DIR/.times0" # in this shell: a subshell would not see its children
        t0=$(now)
        rc=0
        if [[ -n $HAVE_GNU_TIME ]] && ! declare -F "$1" >/dev/null; then
            /usr/bin/time -f '%M' -o "$BENCH_DIR/$key.rss" "$@" >"$BENCH_DIR/$key.out" 2>"$BENCH_DIR/$key.err" || rc=$?
        else
            rm -f "$BENCH_DIR/$key.rss"
            "$@" >"$BENCH_DIR/$key.out" 2>"$BENCH_DIR/$key.err" || rc=$?
        fi
        t1=$(now)
        times >"$BENCH_DIR/.times1"
        walls+=("$(calc "$t1 - $t0")")
        cpus+=("$(cat "$BENCH_DIR/.times0" "$BENCH_DIR/.times1" | cpu_delta)")
        if [[ -f $BENCH_DIR/$key.rss ]]; then
            m=$(grep -Eo '^[0-9]+$' "$BENCH_DIR/$key.rss" | tail -1 || true)
            ((${m:-0} > rss)) && rss=$m
        fi
        say "   $label, threads $threads, round $r: $(printf '%.2f s wall, %.2f s CPU' "${walls[-1]}" "${cpus[-1]}") (exit $rc)"
    done
    ((rss > 0)) || rss=
    record "$key" "$label" "$threads" "$rounds" "$(median "${walls[@]}")" "$note" "$rss"
    CPU[$key]=$(median "${cpus[@]}")
    CPU_MIN[$key]=$(printf '%s\n' "${cpus[@]}" | sort -g | head -1)
    LAST_RC=$rc
}

# ---------------------------------------------------------------------------------------------
# 3. Hash floor and sha256sum
say "== hash floor"
timed_rounds floor1 "hash_floor (read + SHA-256)" 1 "$ROUNDS" "" "$HASH_FLOOR" --threads 1 "$LIST"
timed_rounds floorN "hash_floor (read + SHA-256)" "$NPROC" "$ROUNDS" "" "$HASH_FLOOR" --threads "$NPROC" "$LIST"
timed_rounds sha256sum "sha256sum (xargs, coreutils)" 1 "$ROUNDS" "" xargs -d '\n' -a "$LIST" sha256sum

# ---------------------------------------------------------------------------------------------
# 4. The c2pa SDK called directly
say "== sdk_reader (c2pa $(grep -A1 '^name = "c2pa"$' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p'), one shared Context)"
timed_rounds sdk1 "sdk_reader (c2pa Reader)" 1 "$ROUNDS" "" "$SDK_READER" --threads 1 "$LIST"
timed_rounds sdkN "sdk_reader (c2pa Reader)" "$NPROC" "$ROUNDS" "" "$SDK_READER" --threads "$NPROC" "$LIST"
SDK_OUTCOMES=$(sed -n 's/.*"outcomes":\({[^}]*}\).*/\1/p' "$BENCH_DIR/sdkN.out")

# ---------------------------------------------------------------------------------------------
# 5. provcheck scan
SCAN_OK=
if "$PROVCHECK" scan --help >/dev/null 2>&1; then
    SCAN_OK=1
    say "== provcheck scan"
    scan_rounds() { # key threads note extra-args...
        local key=$1 threads=$2 note=$3
        shift 3
        timed_rounds "$key" "provcheck scan$([[ $* == *--in-process* ]] && echo ' --in-process')" "$threads" "$ROUNDS" "$note" \
            "$PROVCHECK" scan "$FILES_DIR" --jobs "$threads" --format json "$@"
        # Exit 1 = some file is not authentic (expected here); anything else is a failure.
        if ((LAST_RC > 1)); then
            say "   provcheck scan exited $LAST_RC: $(head -c 300 "$BENCH_DIR/$key.err")"
            NOTE[$key]="exit $LAST_RC"
        fi
        local files
        if command -v jq >/dev/null; then
            files=$(jq -r '.files' "$BENCH_DIR/$key.out" 2>/dev/null || true)
        else
            files=$(grep -Eo '"files": *[0-9]+' "$BENCH_DIR/$key.out" | head -1 | grep -Eo '[0-9]+$' || true)
        fi
        [[ ${files:-} == "$NFILES" ]] || {
            say "   WARNING: scan reported files=${files:-?}, expected $NFILES"
            NOTE[$key]="${NOTE[$key]:+${NOTE[$key]}; }reported files=${files:-?}"
        }
    }
    # scan1 / scanN on threads, scanI in worker processes (what `provcheck scan` does by default)
    scan_rounds scan1 1 "" --in-process
    scan_rounds scanN "$NPROC" "" --in-process
    scan_rounds scanI "$NPROC" ""
    if command -v jq >/dev/null; then
        SCAN_VERDICTS=$(jq -c '.verdicts' "$BENCH_DIR/scanN.out" 2>/dev/null || true)
        SCAN_INTERNAL=$(jq -r '"\(.elapsed_seconds) s, \(.files_per_second) files/s, \(.mb_per_second) MB/s"' "$BENCH_DIR/scanN.out" 2>/dev/null || true)
    fi
else
    say "== scan: not available ($PROVCHECK scan --help failed)"
fi

# ---------------------------------------------------------------------------------------------
# 6. c2patool
find_c2patool() {
    if [[ -n ${C2PATOOL:-} ]]; then
        [[ -x $C2PATOOL ]] || die "C2PATOOL=$C2PATOOL is not executable"
        return
    fi
    local root="${XDG_CACHE_HOME:-$HOME/.cache}/provcheck-bench/c2patool"
    C2PATOOL="$root/bin/c2patool"
    if [[ ! -x $C2PATOOL ]]; then
        say "== installing c2patool $C2PATOOL_VERSION into $root (takes a while, once)"
        cargo install c2patool --version "$C2PATOOL_VERSION" --locked --root "$root"
    fi
}
find_c2patool
C2P_VER=$("$C2PATOOL" --version 2>/dev/null || true)
[[ $C2P_VER == *"$C2PATOOL_VERSION"* ]] || say "   WARNING: $C2PATOOL is '$C2P_VER', not $C2PATOOL_VERSION"
say "== $C2P_VER ($C2PATOOL), one process per file"
# Offline like provcheck: no remote-manifest fetches. Respect the caller's C2PATOOL_SETTINGS.
if [[ -z ${C2PATOOL_SETTINGS:-} ]]; then
    mkdir -p "$BENCH_DIR/c2patool-settings"
    printf '[verify]\nremote_manifest_fetch = false\n' >"$BENCH_DIR/c2patool-settings/c2pa.toml"
    export C2PATOOL_SETTINGS="$BENCH_DIR/c2patool-settings/c2pa.toml"
fi
TIMEOUT=()
((C2PATOOL_TIMEOUT > 0)) && TIMEOUT=(timeout "$C2PATOOL_TIMEOUT")

c2p_serial() { # prints one exit code per file
    local f rc
    while IFS= read -r f; do
        rc=0
        "${TIMEOUT[@]}" "$C2PATOOL" "$f" >/dev/null 2>&1 || rc=$?
        echo "$rc"
    done <"$LIST"
}
c2p_parallel() {
    xargs -d '\n' -a "$LIST" -n 1 -P "$NPROC" sh -c '"$@" >/dev/null 2>&1; echo $?' sh "${TIMEOUT[@]}" "$C2PATOOL"
}
C2P_SERIAL_NOTE="$C2PATOOL_ROUNDS round(s) (slow; the others: $ROUNDS)"
timed_rounds c2pS "c2patool, serial loop" 1 "$C2PATOOL_ROUNDS" "$C2P_SERIAL_NOTE" c2p_serial
C2P_EXITS=$(sort -n "$BENCH_DIR/c2pS.out" | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), ($2 == 124 ? "124 (timeout)" : $2), $1 }')
timed_rounds c2pP "c2patool, xargs -P $NPROC" "$NPROC" "$C2PATOOL_ROUNDS" "$C2PATOOL_ROUNDS round(s)" c2p_parallel
say "   c2patool exit codes (serial run): $C2P_EXITS"

# ---------------------------------------------------------------------------------------------
# 6b. Fast-path share: which engine judged each file (`validated_by`, top level of a report that
# read a manifest; absent = "c2pa"). One untimed scan with per-file records.
FAST_SHARE= FAST_COUNTS=
if [[ -n $SCAN_OK ]]; then
    say "== fast-path share (validated_by)"
    "$PROVCHECK" scan "$FILES_DIR" --jobs "$NPROC" --jsonl "$BENCH_DIR/records.jsonl" --format json \
        >/dev/null 2>"$BENCH_DIR/records.err" || true
    if [[ -s $BENCH_DIR/records.jsonl ]]; then
        read -r FAST_N FAST_TOTAL < <(python3 -c '
import json, sys
n = t = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line)
    if "verdict" not in r:
        continue
    t += 1
    n += r.get("validated_by", "c2pa") == "provcheck"
print(n, t)' "$BENCH_DIR/records.jsonl")
        if ((FAST_TOTAL > 0)); then
            FAST_SHARE=$(calc "100 * $FAST_N / $FAST_TOTAL")
            FAST_COUNTS="$FAST_N of $FAST_TOTAL"
        fi
    fi
fi

# ---------------------------------------------------------------------------------------------
# 6c. Single-file latency, process start to exit: provcheck verify vs c2patool on one sample.
LATENCY_RUNS=${LATENCY_RUNS:-30}
LATENCY_SAMPLE=${LATENCY_SAMPLE:-$ROOT/samples/bing_creator_cloud_surfing_puppy.jpg}
LAT_P= LAT_C= LAT_HOW=
latency_loop() { # prints the median wall seconds of LATENCY_RUNS runs of CMD (after 3 warm-ups)
    local ts=() r t0
    for ((r = 0; r < LATENCY_RUNS + 3; r++)); do
        t0=$(now)
        "$@" >/dev/null 2>&1 || true
        ((r >= 3)) && ts+=("$(calc "$(now) - $t0")")
    done
    median "${ts[@]}"
}
if [[ -f $LATENCY_SAMPLE ]]; then
    say "== single-file latency: $LATENCY_SAMPLE ($LATENCY_RUNS runs each)"
    if command -v hyperfine >/dev/null; then
        LAT_HOW="hyperfine -N, median of $LATENCY_RUNS runs after 3 warm-ups"
        hyperfine -N -w 3 -r "$LATENCY_RUNS" -i --export-json "$BENCH_DIR/latency.json" \
            "$PROVCHECK verify $LATENCY_SAMPLE" "$C2PATOOL $LATENCY_SAMPLE" >/dev/null 2>&1 || true
        if [[ -s $BENCH_DIR/latency.json ]]; then
            read -r LAT_P LAT_C < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(r[0]["median"], r[1]["median"])' "$BENCH_DIR/latency.json")
        fi
    fi
    if [[ -z $LAT_P ]]; then
        LAT_HOW="shell loop, median of $LATENCY_RUNS runs after 3 warm-ups"
        LAT_P=$(latency_loop "$PROVCHECK" verify "$LATENCY_SAMPLE")
        LAT_C=$(latency_loop "$C2PATOOL" "$LATENCY_SAMPLE")
    fi
    say "$(printf '   provcheck verify %.1f ms, c2patool %.1f ms' "$(calc "$LAT_P * 1000")" "$(calc "$LAT_C * 1000")")"
fi

# ---------------------------------------------------------------------------------------------
# 7. Table and ratios
fps() { calc "$NFILES / ${SECS[$1]}"; }
mbps() { calc "$MB / ${SECS[$1]}"; }
# ratio A B: B's time / A's time, from wall (SECS) or CPU (CPU) seconds: "A is x times faster"
ratio() { # ARRAY A B
    local -n t=$1
    if [[ -n ${t[$2]:-} && -n ${t[$3]:-} ]]; then calc "${t[$3]} / ${t[$2]}"; fi
}
check() { # value op target -> PASS / MISS / n/a
    [[ -z $1 ]] && { echo "n/a"; return; }
    awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "PASS" : "MISS" }'
}
ratio_of() { if [[ -n ${1:-} && -n ${2:-} ]]; then calc "$2 / $1"; fi; }
fmt() { if [[ -n $1 ]]; then printf "$2" "$1"; else echo "n/a"; fi; }
pct() { if [[ -n $1 ]]; then calc "($1 - 1) * 100"; fi; }
# One comparison row: label, wall ratio, CPU ratio, printf format, target text, op, target.
row() {
    local target=${5:-} status=
    [[ -n $target ]] && status=$(check "$2" "$6" "$7")
    echo "| $1 | $(fmt "$2" "$4") | $(fmt "$3" "$4") | $target | $status |"
}

# A worker-process round whose CPU time is far below the in-process one lost its workers' rusage:
# the scan exited without waiting for (reaping) them. Its CPU and RSS figures are then partial.
ISOLATE_PARTIAL=
if [[ -n ${CPU_MIN[scanI]:-} && -n ${CPU[scanN]:-} ]] &&
    awk -v i="${CPU_MIN[scanI]}" -v n="${CPU[scanN]}" 'BEGIN { exit !(i < 0.8 * n) }'; then
    ISOLATE_PARTIAL=1
    NOTE[scanI]="${NOTE[scanI]:+${NOTE[scanI]}; }CPU and RSS partial: workers not reaped"
fi

RSS_SCAN=
for k in scan1 scanN scanI; do
    [[ $k == scanI && -n $ISOLATE_PARTIAL ]] && continue
    if [[ -n ${RSS[$k]:-} ]]; then
        RSS_SCAN=$(awk -v a="${RSS_SCAN:-0}" -v b="$(mib "${RSS[$k]}")" 'BEGIN { print (b > a ? b : a) }')
    fi
done

{
    echo "# provcheck scan benchmark"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $NPROC CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')."
    echo "Folder: $NFILES files, $(printf '%.1f' "$MB") MB ($(printf '%.2f' "$(calc "$MB / $NFILES")") MB average), copies of $NSRC distinct corpus media files ($CORPUS_REL conformance + generators, round-robin; excluded: \`$BENCH_EXCLUDE\`), in the page cache."
    echo "Wall time per measurement, median of the rounds shown; CPU s = user + sys of all its processes (median), which other load on the machine disturbs less. MB = 10^6 bytes; RSS = peak resident set of the largest single process (GNU time), MiB."
    echo
    echo "| method | threads | rounds | seconds | files/s | MB/s | CPU s | peak RSS | notes |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    for k in "${ORDER[@]}"; do
        printf '| %s | %s | %s | %.2f | %.0f | %.1f | %.2f | %s | %s |\n' "${LABEL[$k]}" "${THREADS[$k]}" "${ROUNDS_OF[$k]}" \
            "${SECS[$k]}" "$(fps "$k")" "$(mbps "$k")" "${CPU[$k]}" \
            "$([[ -n ${RSS[$k]} ]] && echo "$(mib "${RSS[$k]}") MiB" || echo -)" "${NOTE[$k]}"
    done
    [[ -n $SCAN_OK ]] || echo "| provcheck scan | - | - | n/a | | | | | scan: not available |"
    echo
    echo "| comparison | wall | CPU time | target (issue, on wall time) | |"
    echo "|---|---:|---:|---|---|"
    row "scan -j $NPROC vs c2patool serial (x faster)" "$(ratio SECS scanN c2pS)" "$(ratio CPU scanN c2pS)" '%.1fx' '>= 20x' '>=' 20
    row "scan -j 1 vs c2patool serial" "$(ratio SECS scan1 c2pS)" "$(ratio CPU scan1 c2pS)" '%.1fx'
    row "scan -j $NPROC vs c2patool xargs -P $NPROC" "$(ratio SECS scanN c2pP)" "$(ratio CPU scanN c2pP)" '%.1fx'
    row "scan vs sdk_reader, 1 thread (x faster)" "$(ratio SECS scan1 sdk1)" "$(ratio CPU scan1 sdk1)" '%.2fx' '>= 3x' '>=' 3
    row "scan vs sdk_reader, $NPROC threads" "$(ratio SECS scanN sdkN)" "$(ratio CPU scanN sdkN)" '%.2fx' '>= 3x' '>=' 3
    row "scan vs hash floor, 1 thread (scan time, x of floor)" "$(ratio SECS floor1 scan1)" "$(ratio CPU floor1 scan1)" '%.1fx' '<= 3x (issue 14; the first scan issue: 2x)' '<=' 3
    row "scan vs hash floor, $NPROC threads (x of floor)" "$(ratio SECS floorN scanN)" "$(ratio CPU floorN scanN)" '%.1fx' '<= 3x (issue 14; the first scan issue: 2x)' '<=' 3
    row "scan $NPROC threads vs 1 thread (speed-up)" "$(ratio SECS scanN scan1)" "" '%.2fx' '>= 1.8x (2 threads)' '>=' 1.8
    row "scan worker processes vs --in-process, $NPROC jobs (extra)" "$(pct "$(ratio SECS scanN scanI)")" \
        "$([[ -z $ISOLATE_PARTIAL ]] && pct "$(ratio CPU scanN scanI)")" '%+.1f %%' '< 5 %' '<=' 5
    row "fast-path share (\`validated_by: provcheck\`, % of files)" "$FAST_SHARE" "" '%.1f %%'
    row "verify one file vs c2patool (c2patool time / provcheck time)" "$(ratio_of "$LAT_P" "$LAT_C")" "" '%.2fx' '> 1x (faster)' '>=' 1.000001
    row "scan peak RSS (largest of -j 1, -j $NPROC$([[ -z $ISOLATE_PARTIAL ]] && echo ', worker processes'))" "$RSS_SCAN" "" '%s MiB' '< 200 MB' '<=' 200
    echo
    echo "- c2patool: $C2P_VER, \`c2patool FILE > /dev/null\`, remote manifest fetch off ($C2PATOOL_SETTINGS), per-file timeout ${C2PATOOL_TIMEOUT}s; exit codes: $C2P_EXITS. The serial loop runs $C2PATOOL_ROUNDS round(s) only (slow)."
    if [[ -n $ISOLATE_PARTIAL ]]; then
        echo "- WARNING: a worker-process scan round used much less CPU than --in-process (${CPU_MIN[scanI]} s vs ${CPU[scanN]} s): the scan exited without waiting for (reaping) all its worker processes, so their CPU time and RSS are missing; the worker-process CPU and RSS figures are left out of the comparisons."
    fi
    [[ -n $FAST_COUNTS ]] && echo "- fast path: $FAST_COUNTS file reports say \`\"validated_by\": \"provcheck\"\` (a missing field counts as \"c2pa\")."
    [[ -n $LAT_P ]] && echo "- single-file latency ($LAT_HOW), $(basename "$LATENCY_SAMPLE"): provcheck verify $(printf '%.1f' "$(calc "$LAT_P * 1000")") ms, c2patool $(printf '%.1f' "$(calc "$LAT_C * 1000")") ms."
    echo "- sdk_reader outcomes ($NPROC threads): ${SDK_OUTCOMES:-?}"
    [[ -n ${SCAN_VERDICTS:-} ]] && echo "- scan verdicts (-j $NPROC): $SCAN_VERDICTS; scan's own figures: ${SCAN_INTERNAL:-?}"
    echo "- hash floor $NPROC threads: $(printf '%.0f' "$(mbps floorN)") MB/s; sha256sum (coreutils, 1 process): $(printf '%.0f' "$(mbps sha256sum)") MB/s."
    echo "- load average (1/5/15 min) at the start: $LOAD_START, at the end: $(cut -d' ' -f1-3 /proc/loadavg); other work on the machine skews the figures, the parallel ones most."
    echo "- script wall time: $(printf '%.0f' "$(calc "$(now) - $SCRIPT_START")") s."
} | tee "$RESULTS"
say "== written to $RESULTS"
