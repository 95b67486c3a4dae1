"""The measurements of scripts/bench-python.sh (run by it; see there).
Usage: bench_python.py FILES_DIR RESULTS_MD ROUNDS"""
import concurrent.futures as cf
import multiprocessing as mp
import os
import subprocess
import sys
import time


def c2pa_chunk(paths):
    import c2pa

    for p in paths:
        try:
            with c2pa.Reader(p) as r:
                r.json()
        except Exception:
            pass


def main():
    import provcheck

    files_dir, results, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files = sorted(os.path.join(files_dir, f) for f in os.listdir(files_dir))
    size = sum(os.path.getsize(f) for f in files)
    n = os.cpu_count()
    rows = []

    def best(fn):
        t = []
        for _ in range(rounds):
            a = time.monotonic()
            fn()
            t.append(time.monotonic() - a)
        return min(t)

    def add(label, procs, secs):
        rows.append((label, procs, secs, len(files) / secs))
        print(f"{label:62s} {procs} cores {secs:7.2f} s {len(files) / secs:8.1f} files/s", flush=True)

    def c2pa_procs(k):
        chunks = [files[i::k] for i in range(k)]
        with mp.get_context("spawn").Pool(k) as pool:
            pool.map(c2pa_chunk, chunks)

    for sdk in (False, True):
        v = provcheck.Verifier(sdk_trust=sdk)
        v.verify_path(files[0])
        add(f"provcheck verify_many(threads={n}), sdk_trust={sdk}", n,
            best(lambda: v.verify_many(files, threads=n)))

        def per_thread():
            with cf.ThreadPoolExecutor(n) as ex:
                list(ex.map(v.verify_path, files))

        add(f"provcheck verify_path, a thread per core, sdk_trust={sdk}", n, best(per_thread))
    add("c2pa-python Reader(path).json(), 1 process", 1, best(lambda: c2pa_chunk(files)))
    add(f"c2pa-python Reader(path).json(), {n} processes", n, best(lambda: c2pa_procs(n)))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cli = os.path.join(root, "target", "release", "provcheck")
    add("provcheck scan (CLI)", n, best(lambda: subprocess.run(
        [cli, "scan", files_dir, "--format", "json"], stdout=subprocess.DEVNULL, check=False)))
    parquet = os.path.join(os.path.dirname(results), "ray.parquet")
    add("python -m provcheck.ray scan, local Ray (start-up included)", n, best(lambda: subprocess.run(
        [sys.executable, "-m", "provcheck.ray", "scan", files_dir, "--out", parquet],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)))
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    with open(results, "w") as f:
        f.write(f"# bench-python: {len(files)} files, {size / 1e9:.2f} GB, {n} cores, "
                f"load average at the end {load}\n\n| what | cores | seconds | files/s |\n"
                "|---|---:|---:|---:|\n")
        for label, procs, secs, fps in rows:
            f.write(f"| {label} | {procs} | {secs:.2f} | {fps:.1f} |\n")
    print(open(results).read())


if __name__ == "__main__":
    main()
