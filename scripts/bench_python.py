"""The measurements of scripts/bench-python.sh (run by it; see there).
Usage: bench_python.py FILES_DIR RESULTS_MD ROUNDS"""
import concurrent.futures as cf
import json
import multiprocessing as mp
import os
import secrets
import signal
import socket
import subprocess
import sys
import time


def c2pa_chunk(paths):
    """c2pa-python's Reader and json() on each file, with the network off as provcheck has it:
    by default c2pa-python fetches a remote manifest a file points to, and on this machine a
    run of such fetches took up to 0.46 s a file (a folder of 645 files without an embedded
    store: 5.9 s with fetching, 0.8 s without; 2026-12-02)."""
    import c2pa

    ctx = c2pa.Context.from_dict(
        {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}})
    for p in paths:
        try:
            with c2pa.Reader(p, context=ctx) as r:
                r.json()
        except Exception:
            pass


def verify_per_thread(v, files, n):
    """The binding on n threads, each calling verify_path (reports as dicts), as a pipeline
    with a thread per core would."""
    with cf.ThreadPoolExecutor(n) as ex:
        list(ex.map(v.verify_path, files))


def c2pa_warm(_):
    """Import c2pa in a pool worker before any timing; the pause keeps this worker busy while
    the others take theirs."""
    import c2pa  # noqa: F401

    time.sleep(0.2)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ray_env():
    # Ray's token authentication with a token of our own (not ~/.ray/auth_token).
    return dict(os.environ, RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="token",
                RAY_AUTH_TOKEN=secrets.token_hex(32))


class RayCluster:
    """A one-machine Ray cluster of this benchmark's own (`ray start --head --block`, so that
    stopping it ends exactly the processes it started; `ray stop` would end every Ray cluster
    on the machine), with a fresh auth token that `env` passes to the drivers."""

    def __init__(self, cpus):
        self.address = f"127.0.0.1:{free_port()}"
        self.env = ray_env()
        ray = os.path.join(os.path.dirname(sys.executable), "ray")
        self.proc = subprocess.Popen(
            [ray, "start", "--head", "--block", f"--port={self.address.split(':')[1]}",
             "--node-ip-address=127.0.0.1", f"--num-cpus={cpus}", "--include-dashboard=false",
             "--disable-usage-stats"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while subprocess.run([ray, "status", "--address", self.address], env=self.env,
                             capture_output=True).returncode != 0:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("ray start --head failed")
            time.sleep(0.5)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def main():
    import provcheck

    files_dir, results, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files = sorted(os.path.join(files_dir, f) for f in os.listdir(files_dir))
    size = sum(os.path.getsize(f) for f in files)
    n = os.cpu_count()
    rows = []
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])

    def best(fn):
        t = []
        for _ in range(rounds):
            a = time.monotonic()
            fn()
            t.append(time.monotonic() - a)
        return min(t)

    def timed(fn):
        a = time.monotonic()
        fn()
        return time.monotonic() - a

    binding_pairs = []

    def add(label, procs, secs):
        rows.append((label, procs, secs, len(files) / secs))
        print(f"{label:62s} {procs} cores {secs:7.2f} s {len(files) / secs:8.1f} files/s", flush=True)

    def c2pa_procs(k):
        chunks = [files[i::k] for i in range(k)]
        with mp.get_context("spawn").Pool(k) as pool:
            pool.map(c2pa_chunk, chunks)

    # BENCH_PARTS=ray: only `provcheck scan` and the Ray rows (to iterate on the Ray scan);
    # BENCH_PARTS=binding: only the binding (sdk_trust=False) and c2pa-python rows and pairs.
    parts = os.environ.get("BENCH_PARTS", "")
    only_ray, only_binding = parts == "ray", parts == "binding"
    if parts == "classes":
        return by_class(files, results, n, max(3, rounds))
    for sdk in (() if only_ray else (False,) if only_binding else (False, True)):
        v = provcheck.Verifier(sdk_trust=sdk)
        v.verify_path(files[0])
        add(f"provcheck verify_many(threads={n}), sdk_trust={sdk}", n,
            best(lambda: v.verify_many(files, threads=n)))
        add(f"provcheck verify_path, a thread per core, sdk_trust={sdk}", n,
            best(lambda: verify_per_thread(v, files, n)))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cli = os.path.join(root, "target", "release", "provcheck")
    if not only_ray:
        # The binding's cost per call: one thread calling verify_path (report dicts and all)
        # against the CLI checking the same files on one thread in its own process.
        v = provcheck.Verifier()
        add("provcheck verify_path in a loop, 1 thread, sdk_trust=False", 1,
            best(lambda: [v.verify_path(f) for f in files]))
        add("provcheck scan --jobs 1 --in-process (CLI)", 1, best(lambda: subprocess.run(
            [cli, "scan", "--jobs", "1", "--in-process", files_dir, "--format", "json"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)))
        add("c2pa-python Reader(path).json(), 1 process", 1, best(lambda: c2pa_chunk(files)))
        add(f"c2pa-python Reader(path).json(), {n} processes", n, best(lambda: c2pa_procs(n)))
        # The load moves between rows: also pairs, c2pa-python's processes right before the
        # binding's thread per core, and the median of their ratios.
        v = provcheck.Verifier(sdk_trust=False)
        for _ in range(max(3, rounds)):
            binding_pairs.append((timed(lambda: c2pa_procs(n)),
                                  timed(lambda: verify_per_thread(v, files, n))))
    def cli_scan():
        subprocess.run([cli, "scan", files_dir, "--format", "json"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)

    if only_binding:
        return write_results(results, files, size, n, load_start, rows, binding_pairs, None)
    add("provcheck scan (CLI)", n, best(cli_scan))
    parquet = os.path.join(os.path.dirname(results), "ray.parquet")
    pairs = []

    def ray_scan(*extra, env=None):
        r = subprocess.run(
            [sys.executable, "-m", "provcheck.ray", "scan", files_dir, "--out", parquet, *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, check=False)
        if r.returncode not in (0, 1) or "wrote " not in r.stderr:
            raise RuntimeError(f"the Ray scan failed: {r.stderr[-3000:]}")

    # Ray on a cluster that already runs (an operator's `ray start --head`, not timed): the
    # whole `python -m provcheck.ray scan --address` command, interpreter start to exit.
    cluster = RayCluster(n)
    try:
        ray_scan("--address", cluster.address, env=cluster.env)  # the cluster's first job, untimed
        add("python -m provcheck.ray scan --address, a running local Ray", n,
            best(lambda: ray_scan("--address", cluster.address, env=cluster.env)))
        # On a shared machine the load moves between the rows above: also pairs of runs, the
        # CLI scan right before each Ray scan, and the median of their ratios.
        for _ in range(max(3, rounds)):
            c, r = timed(cli_scan), timed(lambda: ray_scan("--address", cluster.address,
                                                           env=cluster.env))
            pairs.append((c, r))
    finally:
        cluster.stop()

    def started():
        c = RayCluster(n)
        c.stop()

    add("ray start --head (until it answers) and stop, no scan", n, best(started))
    # `--address local`: a new Ray instance inside the command even if one runs already.
    env = ray_env()
    add("python -m provcheck.ray scan, local Ray (start-up included)", n,
        best(lambda: ray_scan("--address", "local", env=env)))
    write_results(results, files, size, n, load_start, rows, binding_pairs, pairs)


def by_class(files, results, n, rounds):
    """BENCH_PARTS=classes: where the binding's ratio to c2pa-python comes from. The folder's
    files split by who judged them (the report's `validated_by`: provcheck's own path, the c2pa
    SDK, or neither: no store, an unsupported format, an unreadable file); for each class, pairs
    of c2pa-python (one process per core, a pool started before the timing, so its start-up is
    not counted against it) and the binding (a thread per core), and the floor: reading and
    SHA-256 of every byte once (examples/hash_floor on as many threads), what every report's
    `input.sha256` costs by itself."""
    import provcheck

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    floor_bin = os.path.join(root, "target", "release", "examples", "hash_floor")
    v = provcheck.Verifier(sdk_trust=False)
    classes = {}
    for f, r in zip(files, v.verify_many(files, threads=n)):
        classes.setdefault(r.get("validated_by") or "neither", []).append(f)
    names = {"provcheck": "provcheck's own path", "c2pa": "the c2pa SDK", "neither": "neither"}
    out = [f"# bench-python, by class: {len(files)} files, {n} cores, load average "
           + " ".join(open("/proc/loadavg").read().split()[:3]) + "\n",
           "| judged by | files | GB | c2pa-python s | binding s | median ratio | read+hash once s | share of binding |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    with mp.get_context("spawn").Pool(n) as pool:
        pool.map(c2pa_warm, range(n), chunksize=1)  # every worker imports c2pa now
        for key in ("provcheck", "c2pa", "neither"):
            fs = classes.get(key, [])
            if not fs:
                continue
            for f in fs:  # warm the page cache (this VM evicts idle file pages)
                with open(f, "rb") as h:
                    h.read()
            pairs = []
            for _ in range(rounds):
                a = time.monotonic()
                pool.map(c2pa_chunk, [fs[i::n] for i in range(n)])
                c = time.monotonic() - a
                a = time.monotonic()
                verify_per_thread(v, fs, n)
                pairs.append((c, time.monotonic() - a))
            listing = os.path.join(os.path.dirname(results), f"class-{key}.txt")
            with open(listing, "w") as h:
                h.write("\n".join(fs) + "\n")
            floors = []
            for _ in range(rounds):
                r = subprocess.run([floor_bin, "--threads", str(n), listing], capture_output=True,
                                   text=True, check=True)
                floors.append(float(json.loads(r.stdout)["seconds"]))
            mid = sorted(pairs, key=lambda p: p[0] / p[1])[len(pairs) // 2]
            floor = sorted(floors)[len(floors) // 2]
            gb = sum(os.path.getsize(f) for f in fs) / 1e9
            out.append(f"| {names[key]} | {len(fs)} | {gb:.2f} | {mid[0]:.2f} | {mid[1]:.2f} | "
                       f"{mid[0] / mid[1]:.2f}x | {floor:.2f} | {floor / mid[1]:.0%} |")
            print(out[-1], "pairs: " + ", ".join(f"{c:.2f}/{b:.2f}" for c, b in pairs), flush=True)
    out.append("\nc2pa-python and binding: the pair with the median ratio of " f"{rounds} pairs. "
               "read+hash once: examples/hash_floor, median of as many runs.")
    with open(results, "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))


def write_results(results, files, size, n, load_start, rows, binding_pairs, ray_pairs):
    """results.md: the rows, the ratios to c2pa-python (when measured) and to the CLI scan
    (when the Ray rows ran, ray_pairs not None)."""
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    t = {label: secs for label, _, secs, _ in rows}
    with open(results, "w") as f:
        f.write(f"# bench-python: {len(files)} files, {size / 1e9:.2f} GB, {n} cores, "
                f"load average {load_start} at the start, {load} at the end\n\n| what | cores | seconds | files/s |\n"
                "|---|---:|---:|---:|\n")
        for label, procs, secs, fps in rows:
            f.write(f"| {label} | {procs} | {secs:.2f} | {fps:.1f} |\n")
        if binding_pairs:
            c2pa = t[f"c2pa-python Reader(path).json(), {n} processes"]
            f.write(
                "\nRatios: binding (a thread per core, sdk_trust=False) "
                f"{c2pa / t['provcheck verify_path, a thread per core, sdk_trust=False']:.2f}x "
                f"and verify_many "
                f"{c2pa / t[f'provcheck verify_many(threads={n}), sdk_trust=False']:.2f}x "
                f"c2pa-python's files/s at {n} cores (target 3x); verify_path in a loop took "
                f"{t['provcheck verify_path in a loop, 1 thread, sdk_trust=False'] / t['provcheck scan --jobs 1 --in-process (CLI)']:.2f}x "
                "the time of `scan --jobs 1 --in-process`. In pairs (c2pa-python seconds, "
                "binding seconds): "
                + ", ".join(f"{c:.2f}/{b:.2f}" for c, b in binding_pairs)
                + f"; median ratio {sorted(c / b for c, b in binding_pairs)[len(binding_pairs) // 2]:.2f}x.\n")
        if ray_pairs is not None:
            scan = t["provcheck scan (CLI)"]
            f.write(
                "\nThe Ray scan on a running cluster took "
                f"{t['python -m provcheck.ray scan --address, a running local Ray'] / scan:.2f}x "
                "the wall time of `provcheck scan` (target 1.5x); with Ray's start-up "
                f"{t['python -m provcheck.ray scan, local Ray (start-up included)'] / scan:.2f}x. "
                "In pairs (CLI seconds, Ray seconds): "
                + ", ".join(f"{c:.2f}/{r:.2f}" for c, r in ray_pairs)
                + f"; median ratio {sorted(r / c for c, r in ray_pairs)[len(ray_pairs) // 2]:.2f}x.\n")
    print(open(results).read())


if __name__ == "__main__":
    main()
