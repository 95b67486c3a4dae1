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


def _schema():
    # One fixed schema for every batch: a batch whose files all lack, say, an authenticated
    # source would otherwise get a column of type null and not concatenate with the others.
    import pyarrow as pa

    s = pa.string()
    return pa.schema(
        [
            ("path", s),
            ("size", pa.int64()),
            ("sha256", s),
            ("verdict", s),
            ("claimed_source", s),
            ("authenticated_source", s),
            ("signer", s),
            ("reason_codes", pa.list_(s)),
            ("report_json", s),
            ("node_id", s),
        ]
    )


def _failed_row(path: str, data: Optional[bytes], code: str, text: str) -> tuple:
    """The row of a file whose check killed the checking process or ran out of time."""
    report = {
        "schema_version": provcheck.SCHEMA_VERSION,
        "input": {"path": path, "size": 0, "format": "unknown"},
        "verdict": "error",
        "summary": text,
        "reasons": [{"code": code, "severity": "failure", "explanation": text, "scope": "file"}],
    }
    sha = None
    if data is not None:
        sha = hashlib.sha256(data).hexdigest()
        report["input"].update(size=len(data), sha256=sha)
    size = report["input"]["size"]
    return (path, size, sha, "error", None, None, None, [code], json.dumps(report))


class _CheckingProcess:
    """One checking process (``provcheck._scanchild``) holding one ``Verifier``, restarted when
    a file kills it or runs out of time. ``rows(kind, items)`` gives the rows of the items that
    are checked, a ``provcheck.crashed`` / ``provcheck.timeout`` row for a file that did that.
    Needs no Ray: ``_Checker`` is this plus the node id, as ``map_batches`` wants it."""

    def __init__(
        self,
        verifier_kwargs: Optional[Dict[str, Any]] = None,
        timeout: float = 120.0,
        filesystem=None,
        supported_only: bool = True,
        threads: int = 1,
    ):
        self.fs = filesystem
        self.supported_only = supported_only
        self.kwargs = dict(verifier_kwargs or {})
        self.timeout = timeout
        self.threads = max(1, int(threads))
        self.proc = None
        self.conn = None
        # Started now, so the child's start-up overlaps Ray's scheduling of the first batch.
        self._start()

    def _start(self):
        import socket
        import subprocess
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        fd = theirs.fileno()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "provcheck._scanchild", str(fd)],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send((self.kwargs, self.fs, self.supported_only, self.threads))

    def _restart(self):
        self.close()
        self._start()

    def close(self):
        try:
            self.conn.close()
            self.proc.kill()
            self.proc.wait(5)
        except Exception:
            pass

    def _run(self, job, timeout):
        """Rows for job, or (None, reason) when the process died or timed out (then restarted)."""
        try:
            self.conn.send(job)
            if self.conn.poll(timeout):
                return self.conn.recv(), None
            reason = "timeout"
        except (EOFError, OSError):
            reason = "crashed"
        self._restart()
        return None, reason

    def rows(self, kind: str, items: list) -> list:
        """kind "paths" (items are paths on ``filesystem``) or "bytes" ((name, bytes) items)."""
        rows, _ = self._run((kind, items), self.timeout * max(1, len(items)))
        if rows is not None:
            return rows
        # Something in the batch killed the process: check one file at a time, so only the
        # file that does it again is lost (as `provcheck scan` does).
        rows = []
        for item in items:
            one, reason = self._run((kind, [item]), self.timeout)
            if one is None:
                text = (
                    "the check crashed (a bug in provcheck or the c2pa SDK; please report it)"
                    if reason == "crashed"
                    else f"the check took longer than {self.timeout:.0f} s"
                )
                path, data = item if kind == "bytes" else (item, self._read(item))
                one = [_failed_row(path, data, f"provcheck.{reason}", text)]
            rows += one
        return rows

    def _read(self, path: str) -> Optional[bytes]:
        # For the row of a file that crashed its check: at most the size cap plus one byte.
        from provcheck import _scanchild

        cap = int(self.kwargs.get("max_file_size") or provcheck.DEFAULT_MAX_FILE_SIZE)
        try:
            if _scanchild._is_local(self.fs):
                return _scanchild._read_local(path, cap)
            return _scanchild._read(self.fs, path, cap)
        except OSError:
            return None


def _table(rows: list, node_id: str):
    """The rows as an Arrow table of ``_schema()``, with the node id on every row."""
    import pyarrow as pa

    schema = _schema()
    if not rows:
        return schema.empty_table()
    cols = [list(c) for c in zip(*rows)]
    cols.append([node_id] * len(rows))
    return pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(cols, schema)], schema=schema
    )


class _Checker:
    """The callable class of ``map_batches``: one per Ray worker, each with one checking
    process (``_CheckingProcess``) that holds one ``Verifier`` for all its batches. Batches
    are Arrow tables with a ``path`` column, and a ``bytes`` column when the source was a
    Dataset of binary files (else the checking process reads the files itself)."""

    def __init__(self, **kwargs):
        import ray

        self.node_id = ray.get_runtime_context().get_node_id()
        self.checker = _CheckingProcess(**kwargs)

    def __call__(self, batch):
        paths = [str(p) for p in batch.column("path").to_pylist()]
        if "bytes" in batch.column_names:
            rows = self.checker.rows("bytes", list(zip(paths, batch.column("bytes").to_pylist())))
        else:
            rows = self.checker.rows("paths", paths)
        return _table(rows, self.node_id)


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


def _cpus_per_node() -> int:
    """The CPUs of the cluster's smallest node with any."""
    import ray

    cpus = [n["Resources"].get("CPU", 0) for n in ray.nodes() if n.get("Alive")]
    cpus = [int(c) for c in cpus if c >= 1]
    return min(cpus) if cpus else 1


def _auto_batch_size(files: Optional[int], workers: int, threads: int) -> int:
    """Batches big enough that Ray's per-batch cost is small against the checks (a few ms a
    file) and that a worker's threads rarely wait for the batch's last file (32 files a
    thread), small enough that every worker gets several (the last batches end together)."""
    if not files:
        return max(16, threads)
    return max(threads, min(32 * threads, files // (workers * 4)))


def scan(
    source: Union[str, Sequence[str], "Any"],
    *,
    filesystem=None,
    verifier_kwargs: Optional[Dict[str, Any]] = None,
    concurrency: Optional[int] = None,
    batch_size: Optional[int] = None,
    num_cpus: Optional[float] = None,
    timeout: float = 120.0,
    supported_only: bool = True,
    _listed=None,
):
    """A Ray Dataset with one row per file and the columns of ``COLUMNS``.

    Args:
        source: a path, a list of paths (files or folders; any filesystem pyarrow reads, or
            pass ``filesystem``), or a ``ray.data.Dataset`` with ``path`` and ``bytes`` columns
            (as ``ray.data.read_binary_files(..., include_paths=True)`` gives; leave CPUs for
            its read tasks, e.g. ``concurrency`` below the cluster's CPU count).
        verifier_kwargs: arguments of ``provcheck.Verifier`` (default ``sdk_trust=False``, as
            ``provcheck scan``: the same verdicts, about twice as fast).
        concurrency: how many Ray workers check files, a fixed pool created once (default: the
            cluster's CPUs divided by ``num_cpus``).
        batch_size: files per batch (default: 32 a thread, less so that each worker gets at
            least 4 batches).
        num_cpus: CPUs per worker; its checking process checks that many files at once on
            threads. Default for paths: one worker per node, with the CPUs of the smallest
            node (fewer Ray workers to start, one Verifier and trust cache per node); for a
            Dataset: 1.
        supported_only: pass over files ``provcheck scan`` would not check (no known
            extension and no known format in their first bytes).

    The Dataset is lazy: consume it (``write_parquet``, ``iter_rows``, ``take_all``...).
    """
    import ray

    kwargs = {"sdk_trust": False}
    kwargs.update(verifier_kwargs or {})
    files = None
    if isinstance(source, ray.data.Dataset):
        ds, fs = source, None
    else:
        # Only the paths travel through Ray; each worker's checking process reads its own files
        # (no file bytes in the object store, and no read stage competing for CPUs).
        fs, paths = _listed if _listed is not None else list_files(source, filesystem)
        files = len(paths)
    if num_cpus is None:
        num_cpus = 1 if files is None else _cpus_per_node()
    if concurrency is None:
        concurrency = max(1, int(ray.cluster_resources().get("CPU", 1) // max(num_cpus, 0.001)))
    if batch_size is None:
        batch_size = _auto_batch_size(files, concurrency, max(1, int(num_cpus)))
    if files is not None:
        # One block per batch: Ray Data hands a worker whole blocks (one block of all the paths
        # would be one task on one worker). from_items builds them here in the driver
        # (from_arrow would run a remote task per block just to read their metadata).
        ds = ray.data.from_items(
            [{"path": p} for p in paths], override_num_blocks=max(1, -(-files // batch_size))
        )
    # Ray Data spreads the pool's actors over the nodes (its default scheduling strategy is
    # SPREAD), so a cluster's nodes all take part.
    return ds.map_batches(
        _Checker,
        fn_constructor_kwargs={
            "verifier_kwargs": kwargs,
            "timeout": timeout,
            "filesystem": fs,
            "supported_only": supported_only,
            "threads": max(1, int(num_cpus)),
        },
        batch_size=batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=concurrency),
        num_cpus=num_cpus,
    )


def main(argv: Optional[List[str]] = None) -> int:
    return _run(argv)[0]


def _run(argv: Optional[List[str]] = None):
    """main's work; also says whether the Ray it used was already running (an address given)."""
    p = argparse.ArgumentParser(prog="python -m provcheck.ray")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scan", help="check every file under DIR on a Ray cluster, write Parquet")
    s.add_argument("dir", help="a folder or file; any URI pyarrow reads (s3://, gs://, ...)")
    s.add_argument("--out", required=True, help="the Parquet file to write")
    s.add_argument(
        "--address",
        default=None,
        help="Ray cluster address (auto: the running one; local: a new one-machine Ray)",
    )
    s.add_argument("--concurrency", type=int, default=None, help="Ray workers checking files")
    s.add_argument("--batch-size", type=int, default=None, help="files per batch (default: auto)")
    s.add_argument("--no-default-trust", action="store_true")
    s.add_argument("--sdk-trust", action="store_true", help="also run the SDK's trust check")
    a = p.parse_args(argv)

    import pyarrow as pa
    import pyarrow.parquet as pq
    import ray

    ray.init(address=a.address, log_to_driver=False, logging_level="ERROR")
    ray.data.DataContext.get_current().enable_progress_bars = False
    start = time.monotonic()
    listed = list_files(a.dir)
    ds = scan(
        a.dir,
        verifier_kwargs={"default_trust": not a.no_default_trust, "sdk_trust": a.sdk_trust},
        concurrency=a.concurrency,
        batch_size=a.batch_size,
        _listed=listed,
    )
    # One pass over the Dataset: its blocks are gathered once, and both the Parquet file and
    # the summary are made from them.
    tables = [t for t in ray.get(list(ds.to_arrow_refs())) if t.num_rows]
    table = pa.concat_tables(tables) if tables else _schema().empty_table()
    table = table.select(list(COLUMNS))
    pq.write_table(table, a.out)
    elapsed = time.monotonic() - start
    reports = table.column("report_json").to_pylist()
    skipped = {}
    passed_over = len(listed[1]) - len(reports)
    if passed_over > 0:
        skipped["unsupported"] = passed_over
    jobs = a.concurrency or max(1, int(ray.cluster_resources().get("CPU", 1)))
    sys.stdout.write(provcheck.scan_summary(reports, elapsed, jobs, skipped))
    sys.stderr.write(f"wrote {len(reports)} rows to {a.out}\n")
    # Exit codes of `provcheck scan`: 0 every file authentic, 1 any other verdict.
    code = 0 if all(v == "authentic" for v in table.column("verdict").to_pylist()) else 1
    return code, a.address not in (None, "local")


if __name__ == "__main__":
    # Run the copy imported as provcheck.ray, not __main__: Ray and the checking process pickle
    # _Checker by module name.
    from provcheck.ray import _run

    code, existing_cluster = _run()
    sys.stdout.flush()
    sys.stderr.flush()
    if existing_cluster:
        # Everything is written (the Parquet file closed, the summary printed): leave without
        # Ray's exit handlers and the interpreter's teardown, about 0.5 s. The cluster ends
        # the job and its workers when the driver's connection closes. Not when this process
        # started Ray itself: its exit handlers stop that instance.
        os._exit(code)
    sys.exit(code)
