#!/usr/bin/env bash
# Benchmark of issue 12 (not a timed test): on a folder of BENCH_FILES corpus media files (the
# folder of scripts/bench-scan.sh if it exists, else one built the same way),
#   provcheck (Python)   Verifier.verify_many(paths, threads=N); one thread per core calling
#                        verify_path; both with sdk_trust off (as `scan`) and on (as `verify`)
#   c2pa-python          Reader(path) + .json() per file, one process per core (and 1 process)
#   provcheck.ray        the Ray scan on a local one-machine Ray, against `provcheck scan`
# Writes target/bench-python/results.md. Needs the venv of scripts/test-python.sh (it runs the
# parts of it that build the wheel, then pip-installs c2pa-python into the same venv).
#   BENCH_FILES=2000  files in the folder     ROUNDS=1  rounds of each measurement (best kept)
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
cargo build --release --bin provcheck -q
"$VENV/bin/python" - "$FILES" "$OUT/results.md" "${ROUNDS:-1}" <<'PY'
import concurrent.futures as cf, json, multiprocessing as mp, os, subprocess, sys, threading, time
files_dir, results, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(files_dir, f) for f in os.listdir(files_dir))
size = sum(os.path.getsize(f) for f in files)
N = os.cpu_count()

def best(fn):
    t = []
    for _ in range(rounds):
        a = time.monotonic(); fn(); t.append(time.monotonic() - a)
    return min(t)

def c2pa_chunk(paths):
    import c2pa
    for p in paths:
        try:
            with c2pa.Reader(p) as r:
                r.json()
        except Exception:
            pass

def c2pa_procs(n):
    chunks = [files[i::n] for i in range(n)]
    with mp.get_context("spawn").Pool(n) as pool:
        pool.map(c2pa_chunk, chunks)

import provcheck
rows = []
def add(label, procs, secs):
    rows.append((label, procs, secs, len(files) / secs))
    print(f"{label:60s} {procs} cores {secs:7.2f} s {len(files)/secs:8.1f} files/s", flush=True)

for sdk in (False, True):
    v = provcheck.Verifier(sdk_trust=sdk)
    v.verify_path(files[0])
    add(f"provcheck verify_many(threads={N}), sdk_trust={sdk}", N, best(lambda: v.verify_many(files, threads=N)))
    def per_thread():
        with cf.ThreadPoolExecutor(N) as ex:
            list(ex.map(v.verify_path, files))
    add(f"provcheck verify_path, a thread per core, sdk_trust={sdk}", N, best(per_thread))
add("c2pa-python Reader+json, 1 process", 1, best(lambda: c2pa_chunk(files)))
add(f"c2pa-python Reader+json, {N} processes", N, best(lambda: c2pa_procs(N)))

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(results))))
cli = os.path.join(root, "target", "release", "provcheck")
add("provcheck scan (CLI)", N, best(lambda: subprocess.run([cli, "scan", files_dir, "--format", "json"], stdout=subprocess.DEVNULL, check=False)))
def ray_scan():
    subprocess.run([sys.executable, "-m", "provcheck.ray", "scan", files_dir, "--out", os.path.join(os.path.dirname(results), "ray.parquet")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
add("python -m provcheck.ray scan (local Ray, startup included)", N, best(ray_scan))

with open(results, "w") as f:
    f.write(f"# bench-python: {len(files)} files, {size/1e9:.2f} GB, {N} cores, load {open('/proc/loadavg').read().split()[:3]}\n\n")
    f.write("| what | cores | seconds | files/s |\n|---|---:|---:|---:|\n")
    for label, procs, secs, fps in rows:
        f.write(f"| {label} | {procs} | {secs:.2f} | {fps:.1f} |\n")
print(open(results).read())
PY
