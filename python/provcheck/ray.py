"""Scan files for C2PA Content Credentials on a Ray cluster.

    import provcheck.ray
    ds = provcheck.ray.scan("s3://bucket/uploads/")          # any filesystem pyarrow reads
    ds.write_parquet("results/")

or from the shell (prints the summary of ``provcheck scan``)::

    python -m provcheck.ray scan DIR --out results.parquet --address auto

Each Ray worker of the ``map_batches`` actor pool checks its files in one child process that
holds one ``provcheck.Verifier`` for all its batches. A file that kills that process (a crash in
the c2pa SDK, say) costs one ``provcheck.crashed`` row; a file whose check exceeds
``timeout`` seconds one ``provcheck.timeout`` row; the job goes on either way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Union

import provcheck

COLUMNS = (
    "path",
    "size",
    "sha256",
    "verdict",
    "claimed_source",
    "authenticated_source",
    "signer",
    "reason_codes",
    "report_json",
    "node_id",
)


def _child_main(conn, verifier_kwargs):
    """The checking process: one Verifier, batches of (name, bytes) in, report JSON out."""
    v = provcheck.Verifier(**verifier_kwargs)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        reports = v.verify_many(job, threads=1)
        conn.send([json.dumps(r) for r in reports])


def _failed(path: str, data: bytes, code: str, text: str) -> str:
    return json.dumps(
        {
            "schema_version": provcheck.SCHEMA_VERSION,
            "input": {
                "path": path,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "format": "unknown",
            },
            "verdict": "error",
            "summary": text,
            "reasons": [
                {"code": code, "severity": "failure", "explanation": text, "scope": "file"}
            ],
        }
    )


class _Checker:
    """The callable class of ``map_batches``: one per Ray worker, one checking process each."""

    def __init__(
        self,
        verifier_kwargs: Optional[Dict[str, Any]] = None,
        timeout: float = 120.0,
        filesystem=None,
        supported_only: bool = True,
    ):
        import ray

        self.fs = filesystem
        self.supported_only = supported_only
        self.kwargs = dict(verifier_kwargs or {})
        self.timeout = timeout
        self.node_id = ray.get_runtime_context().get_node_id()
        self.ctx = multiprocessing.get_context("spawn")
        self.proc = None
        self.conn = None
        self._start()

    def _start(self):
        parent, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_child_main, args=(child, self.kwargs), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent

    def _restart(self):
        try:
            self.proc.kill()
            self.proc.join(5)
        except Exception:
            pass
        self._start()

    def _run(self, job, timeout):
        """Reports for job, or None when the process died or timed out (then restarted)."""
        try:
            self.conn.send(job)
            if self.conn.poll(timeout):
                return self.conn.recv(), None
            reason = "timeout"
        except (EOFError, OSError, BrokenPipeError):
            reason = "crashed"
        self._restart()
        return None, reason

    def __call__(self, batch: Dict[str, Any]) -> Dict[str, List[Any]]:
        paths = [str(p) for p in batch["path"]]
        if "bytes" in batch:
            datas = [bytes(b) for b in batch["bytes"]]
        else:
            datas = [self._read(p) for p in paths]
        job = [
            (p, d)
            for p, d in zip(paths, datas)
            if not self.supported_only or provcheck.supported(p, d[:4096])
        ]
        out, _ = self._run(job, self.timeout * max(1, len(job)))
        if out is None:
            # Something in the batch killed the process: check one file at a time, so only the
            # file that does it again is lost (as `provcheck scan` does).
            out = []
            for item in job:
                one, reason = self._run([item], self.timeout)
                if one is None:
                    text = (
                        "the check crashed (a bug in provcheck or the c2pa SDK; please report it)"
                        if reason == "crashed"
                        else f"the check took longer than {self.timeout:.0f} s"
                    )
                    one = [_failed(item[0], item[1], f"provcheck.{reason}", text)]
                out += one
        return _columns(out, self.node_id)

    def _read(self, path: str) -> bytes:
        # Read at most the size cap plus one byte: a larger file is reported, not loaded.
        cap = int(self.kwargs.get("max_file_size") or provcheck.DEFAULT_MAX_FILE_SIZE)
        with self.fs.open_input_stream(path) as f:
            return f.read(cap + 1)


def _columns(report_jsons: Sequence[str], node_id: str) -> Dict[str, List[Any]]:
    cols: Dict[str, List[Any]] = {c: [] for c in COLUMNS}
    for s in report_jsons:
        r = json.loads(s)
        inp = r.get("input", {})
        claimed = r.get("claimed_source") or {}
        auth = r.get("authenticated_source") or {}
        chain = (r.get("trust") or {}).get("path") or []
        cols["path"].append(inp.get("path"))
        cols["size"].append(int(inp.get("size", 0)))
        cols["sha256"].append(inp.get("sha256"))
        cols["verdict"].append(r.get("verdict"))
        cols["claimed_source"].append(claimed.get("summary"))
        cols["authenticated_source"].append(auth.get("organization"))
        cols["signer"].append(chain[0].get("subject") if chain else None)
        cols["reason_codes"].append([x.get("code") for x in r.get("reasons", [])])
        cols["report_json"].append(s)
        cols["node_id"].append(node_id)
    return cols


def list_files(source: Union[str, Sequence[str]], filesystem=None):
    """Every regular file under source (files or folders, local or any pyarrow URI), sorted;
    returns (filesystem, paths)."""
    import pyarrow.fs as pafs

    sources = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    out: List[str] = []
    fs = filesystem
    for src in sources:
        src = os.fspath(src)
        if fs is None:
            fs, base = pafs.FileSystem.from_uri(src if "://" in src else os.path.abspath(src))
        else:
            base = src
        info = fs.get_file_info(base)
        if info.type == pafs.FileType.File:
            out.append(base)
        elif info.type == pafs.FileType.Directory:
            sel = pafs.FileSelector(base, recursive=True)
            out += [i.path for i in fs.get_file_info(sel) if i.type == pafs.FileType.File]
        else:
            raise FileNotFoundError(src)
    return fs, sorted(out)


def scan(
    source: Union[str, Sequence[str], "Any"],
    *,
    filesystem=None,
    verifier_kwargs: Optional[Dict[str, Any]] = None,
    concurrency: Optional[int] = None,
    batch_size: int = 16,
    num_cpus: float = 1,
    timeout: float = 120.0,
    supported_only: bool = True,
):
    """A Ray Dataset with one row per file and the columns of ``COLUMNS``.

    Args:
        source: a path, a list of paths (files or folders; any filesystem pyarrow reads, or
            pass ``filesystem``), or a ``ray.data.Dataset`` with ``path`` and ``bytes`` columns
            (as ``ray.data.read_binary_files(..., include_paths=True)`` gives; leave CPUs for
            its read tasks, e.g. ``concurrency`` below the cluster's CPU count).
        verifier_kwargs: arguments of ``provcheck.Verifier`` (default ``sdk_trust=False``, as
            ``provcheck scan``: the same verdicts, about twice as fast).
        concurrency: how many Ray workers check files (default: the cluster's CPUs).
        supported_only: pass over files ``provcheck scan`` would not check (no known
            extension and no known format in their first bytes).

    The Dataset is lazy: consume it (``write_parquet``, ``iter_rows``, ``take_all``...).
    """
    import ray

    kwargs = {"sdk_trust": False}
    kwargs.update(verifier_kwargs or {})
    if isinstance(source, ray.data.Dataset):
        ds, fs = source, None
    else:
        # Only the paths travel through Ray; each worker reads its own files (no file bytes in
        # the object store, and no read stage competing with the checkers for CPUs).
        fs, paths = list_files(source, filesystem)
        ds = ray.data.from_items([{"path": p} for p in paths])
    if concurrency is None:
        concurrency = max(1, int(ray.cluster_resources().get("CPU", 1) // max(num_cpus, 0.001)))
    return ds.map_batches(
        _Checker,
        fn_constructor_kwargs={
            "verifier_kwargs": kwargs,
            "timeout": timeout,
            "filesystem": fs,
            "supported_only": supported_only,
        },
        batch_size=batch_size,
        batch_format="numpy",
        concurrency=concurrency,
        num_cpus=num_cpus,
        # one worker per node before two on any, so a cluster's nodes all take part
        scheduling_strategy="SPREAD",
    )


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m provcheck.ray")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scan", help="check every file under DIR on a Ray cluster, write Parquet")
    s.add_argument("dir", help="a folder or file; any URI pyarrow reads (s3://, gs://, ...)")
    s.add_argument("--out", required=True, help="the Parquet file to write")
    s.add_argument("--address", default=None, help="Ray cluster address (auto: the running one)")
    s.add_argument("--concurrency", type=int, default=None, help="Ray workers checking files")
    s.add_argument("--batch-size", type=int, default=16)
    s.add_argument("--no-default-trust", action="store_true")
    s.add_argument("--sdk-trust", action="store_true", help="also run the SDK's trust check")
    a = p.parse_args(argv)

    import pyarrow as pa
    import pyarrow.parquet as pq
    import ray

    ray.init(address=a.address, log_to_driver=False, logging_level="ERROR")
    start = time.monotonic()
    ds = scan(
        a.dir,
        verifier_kwargs={"default_trust": not a.no_default_trust, "sdk_trust": a.sdk_trust},
        concurrency=a.concurrency,
        batch_size=a.batch_size,
    )
    tables = []
    for ref in ds.to_arrow_refs():
        t = ray.get(ref)
        if t.num_rows:
            tables.append(t)
    table = pa.concat_tables(tables) if tables else pa.table({c: [] for c in COLUMNS})
    table = table.select(list(COLUMNS))
    pq.write_table(table, a.out)
    elapsed = time.monotonic() - start
    reports = table.column("report_json").to_pylist()
    skipped = {}
    passed_over = len(list_files(a.dir)[1]) - len(reports)
    if passed_over > 0:
        skipped["unsupported"] = passed_over
    jobs = a.concurrency or max(1, int(ray.cluster_resources().get("CPU", 1)))
    sys.stdout.write(provcheck.scan_summary(reports, elapsed, jobs, skipped))
    sys.stderr.write(f"wrote {len(reports)} rows to {a.out}\n")
    # Exit codes of `provcheck scan`: 0 every file authentic, 1 any other verdict.
    return 0 if all(v == "authentic" for v in table.column("verdict").to_pylist()) else 1


if __name__ == "__main__":
    # Run the copy imported as provcheck.ray, not __main__: Ray and the checking process pickle
    # _Checker and _child_main by module name.
    from provcheck.ray import main as _main

    sys.exit(_main())
