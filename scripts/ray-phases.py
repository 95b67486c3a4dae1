"""Where a Ray scan's wall time goes (issue 12's Ray target), against `provcheck scan` on the
same folder: on a one-machine cluster started first (as bench_python.py does, not timed),
ROUNDS times: a driver that does what `python -m provcheck.ray scan` does, timing each phase
(imports, ray.init, listing, the Dataset's execution, gathering, Parquet), then the CLI scan;
with the CPU time the whole machine was busy during each (/proc/stat: Ray's own processes, its
worker and the checking process included) and the driver process's own CPU time.
Run with the venv of scripts/test-python.sh, from the project root:
    target/pyvenv/bin/python scripts/ray-phases.py [FILES_DIR] [ROUNDS]
(FILES_DIR defaults to target/bench-scan/files, made by scripts/bench-scan.sh)."""
import os
import resource
import subprocess
import sys
import time

DRIVER = r'''
import sys, time
t0 = time.monotonic()
import provcheck, pyarrow as pa, pyarrow.parquet as pq
t1 = time.monotonic()
import ray
t2 = time.monotonic()
from provcheck.ray import scan, list_files, COLUMNS
ray.init(address=sys.argv[2], log_to_driver=False, logging_level="ERROR")
ray.data.DataContext.get_current().enable_progress_bars = False
t3 = time.monotonic()
listed = list_files(sys.argv[1])
t4 = time.monotonic()
ds = scan(sys.argv[1], verifier_kwargs={"default_trust": True, "sdk_trust": False}, _listed=listed)
refs = list(ds.to_arrow_refs())
t5 = time.monotonic()
tables = [t for t in ray.get(refs) if t.num_rows]
t6 = time.monotonic()
pq.write_table(pa.concat_tables(tables).select(list(COLUMNS)), sys.argv[3])
t7 = time.monotonic()
print(f"imports {t2 - t0:.2f} s (ray {t2 - t1:.2f}), ray.init {t3 - t2:.2f}, list {t4 - t3:.2f}, "
      f"execution {t5 - t4:.2f}, gather {t6 - t5:.2f}, parquet {t7 - t6:.2f}, "
      f"in the driver {t7 - t0:.2f} s", flush=True)
'''


def busy_cpu_seconds():
    """CPU seconds the machine has spent busy since boot (all CPUs; /proc/stat less idle and
    iowait)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_python import RayCluster

    files = sys.argv[1] if len(sys.argv) > 1 else "target/bench-scan/files"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    out = os.path.join("target", "ray-phases.parquet")
    cluster = RayCluster(os.cpu_count())
    try:
        for _ in range(rounds):
            a, busy, own = time.monotonic(), busy_cpu_seconds(), children_cpu_seconds()
            r = subprocess.run([sys.executable, "-c", DRIVER, files, cluster.address, out],
                               env=cluster.env, capture_output=True, text=True)
            wall = time.monotonic() - a
            ray_busy, driver = busy_cpu_seconds() - busy, children_cpu_seconds() - own
            if r.returncode != 0:
                raise RuntimeError(r.stderr[-3000:])
            a, busy = time.monotonic(), busy_cpu_seconds()
            subprocess.run(["target/release/provcheck", "scan", files, "--format", "json"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            cli, cli_busy = time.monotonic() - a, busy_cpu_seconds() - busy
            print(f"Ray driver process {wall:.2f} s ({r.stdout.strip()}; machine busy "
                  f"{ray_busy:.2f} CPU s, the driver {driver:.2f}); provcheck scan {cli:.2f} s "
                  f"(machine busy {cli_busy:.2f} CPU s)", flush=True)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
