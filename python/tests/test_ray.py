"""A real two-node Ray cluster on this machine (two raylets on loopback), the scan submitted to
it through `python -m provcheck.ray scan`: one row per file, the CLI's verdicts, work on both
nodes, a file that kills its checking process costs one `provcheck.crashed` row and not the job,
the Parquet file readable with pyarrow, the summary counts of `provcheck scan`. The cluster is
stopped afterwards, also on failure."""

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys

import pytest

from conftest import BIN, cli_reports

pytestmark = pytest.mark.skipif(
    os.environ.get("PROVCHECK_SKIP_RAY") == "1", reason="PROVCHECK_SKIP_RAY=1"
)

VENV_BIN = pathlib.Path(sys.executable).parent
RAY = str(VENV_BIN / "ray")
CRASH = "kills-its-worker"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ray_processes():
    out = subprocess.run(["pgrep", "-f", "raylet|gcs_server"], capture_output=True, text=True)
    return [p for p in out.stdout.split() if p]


@pytest.fixture
def cluster(tmp_path):
    if ray_processes():
        pytest.fail("a Ray cluster already runs on this machine; `ray stop` would end it too")
    port = free_port()
    env = dict(os.environ)
    # The test-only hook of the wheel scripts/test-python.sh builds: checking a file whose
    # path contains CRASH aborts the checking process (workers inherit the raylets' env).
    env["PROVCHECK_PY_TEST_FAULT"] = f"abort:{CRASH}"
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    # Ray's token authentication, a fresh token per test cluster (the driver needs it too).
    env["RAY_AUTH_MODE"] = "token"
    env["RAY_AUTH_TOKEN"] = secrets.token_hex(32)
    common = ["--node-ip-address=127.0.0.1", "--num-cpus=2", "--object-store-memory=100000000",
              "--disable-usage-stats"]
    try:
        for args in (["--head", f"--port={port}", "--include-dashboard=false"],
                     [f"--address=127.0.0.1:{port}"]):
            r = subprocess.run([RAY, "start", *args, *common], env=env, capture_output=True,
                               text=True, timeout=180)
            assert r.returncode == 0, f"ray start {args}: {r.stdout[-2000:]} {r.stderr[-2000:]}"
        yield f"127.0.0.1:{port}", env
    finally:
        subprocess.run([RAY, "stop", "--force"], capture_output=True, timeout=120)
        assert not ray_processes(), "the Ray cluster did not stop"


def test_scan_on_a_two_node_cluster(cluster, corpus, tmp_path):
    import pyarrow.parquet as pq

    address, env = cluster
    data = tmp_path / "data"
    shutil.copytree(corpus / "generators", data)
    victim = next(p for p in sorted(data.rglob("*.jpg")))
    crash = victim.with_name(f"{CRASH}.jpg")
    shutil.copy(victim, crash)
    # Enough files for both nodes' workers to take batches.
    for i, p in enumerate(sorted(data.rglob("*.png"))[:4]):
        shutil.copy(p, p.with_name(f"copy{i}-{p.name}"))
    out = tmp_path / "results.parquet"
    run = subprocess.run(
        [sys.executable, "-m", "provcheck.ray", "scan", str(data), "--out", str(out),
         "--address", address, "--batch-size", "4"],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode in (0, 1), run.stderr[-3000:]
    table = pq.read_table(out)
    rows = table.to_pylist()
    # What `provcheck scan` says about the same folder, file by file and in its summary.
    scan = subprocess.run([str(BIN), "scan", str(data), "--format", "jsonl"],
                          capture_output=True, text=True, timeout=600)
    want = {json.loads(l)["input"]["path"]: json.loads(l) for l in scan.stdout.splitlines()}
    by_path = {r["path"]: r for r in rows}
    assert len(by_path) == len(rows), "a file has two rows"
    assert sorted(by_path) == sorted(want), "one row per file `provcheck scan` checks"
    for path, r in by_path.items():
        if CRASH in path:
            assert r["verdict"] == "error"
            assert r["reason_codes"] == ["provcheck.crashed"]
            continue
        w = want[path]
        assert r["verdict"] == w["verdict"], path
        assert r["reason_codes"] == [x["code"] for x in w["reasons"]], path
        assert r["sha256"] == w["input"]["sha256"]
        assert r["size"] == w["input"]["size"]
        assert json.loads(r["report_json"])["verdict"] == r["verdict"]
        auth = (w.get("authenticated_source") or {}).get("organization")
        assert r["authenticated_source"] == auth, path
    assert sum(CRASH in p for p in by_path) == 1
    # and the verify --json verdicts (SDK trust check on) are the same
    sample = sorted(p for p in by_path if CRASH not in p)[:10]
    for p, w in zip(sample, cli_reports(sample)):
        assert by_path[p]["verdict"] == w["verdict"], p
    nodes = {r["node_id"] for r in rows}
    assert len(nodes) == 2, f"the work ran on {len(nodes)} node(s), not both"
    # The summary: `provcheck scan`'s counts, the crashed file moved to error.
    counts = {}
    for p, r in by_path.items():
        v = "error" if CRASH in p else want[p]["verdict"]
        counts[v] = counts.get(v, 0) + 1
    ray_verdicts = next(l for l in run.stdout.splitlines() if l.startswith("verdicts:"))
    for v, n in counts.items():
        assert f"{n} {v}" in ray_verdicts, (v, n, ray_verdicts)
    assert f"scan complete: {len(want)} files" in run.stdout
    skipped = [l for l in scan.stderr.splitlines() if l.startswith("passed over:")]
    assert skipped and skipped[0] in run.stdout, "the same files passed over"
    print(run.stdout.splitlines()[0], "| nodes:", len(nodes), "| rows:", len(rows))

    # The other entry: a ray.data.Dataset of binary files, as a pipeline already has.
    script = (
        "import json, sys, ray, provcheck.ray\n"
        "ray.init(address=sys.argv[1], log_to_driver=False, logging_level='ERROR')\n"
        "ds = ray.data.read_binary_files(sys.argv[2], include_paths=True)\n"
        "rows = provcheck.ray.scan(ds, concurrency=2).take_all()\n"
        "print(json.dumps({r['path']: [r['verdict'], r['node_id']] for r in rows}))\n"
    )
    ds_run = subprocess.run([sys.executable, "-c", script, address, str(data)], env=env,
                            capture_output=True, text=True, timeout=600)
    assert ds_run.returncode == 0, ds_run.stderr[-3000:]
    got = json.loads(ds_run.stdout.strip().splitlines()[-1])
    # read_binary_files gives paths without the leading "/" of the local filesystem
    got = {("/" + p.lstrip("/")): v for p, v in got.items()}
    assert sorted(got) == sorted(by_path)
    for p, (verdict, _) in got.items():
        assert verdict == by_path[p]["verdict"], p
