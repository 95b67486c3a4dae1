"""The checking process of a ``provcheck.ray`` worker (started by ``provcheck.ray._Checker``).

``python -m provcheck._scanchild FD``: FD is one end of a socket pair, spoken to with
``multiprocessing.connection`` messages. The first message is the set-up, ``(verifier_kwargs,
filesystem, supported_only, threads)``; then each message is a job, ``("paths", [path, ...])`` or
``("bytes", [(name, bytes), ...])``, answered with the rows of ``Verifier._scan_rows`` for the
items that are checked (files ``provcheck scan`` passes over are left out when
``supported_only``). EOF or ``None`` ends the process.

A separate process rather than the Ray worker itself, so that a file that kills the check
(an abort inside the c2pa SDK, say) ends only this process: the worker reports that one file
as ``provcheck.crashed`` and starts a new one. Started with ``subprocess`` (fork + exec of a
fresh interpreter that imports only ``provcheck``), not ``multiprocessing``'s spawn, which
would re-import the Ray worker's main module.
"""

from __future__ import annotations

import os
import stat
import sys
from multiprocessing.connection import Connection

import provcheck

HEAD_LEN = 4096


def _read_local(path: str, limit: int) -> bytes:
    """Up to limit bytes of a regular local file, never blocking on a FIFO or device (which
    give b"": the check itself reports them). Raises OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(limit)
    finally:
        os.close(fd)


def _head_of_local(path: str) -> bytes:
    try:
        return _read_local(path, HEAD_LEN)
    except OSError:
        return b""


def _is_local(fs) -> bool:
    if fs is None:
        return True
    import pyarrow.fs as pafs

    return isinstance(fs, pafs.LocalFileSystem)


def _read(fs, path: str, cap: int) -> bytes:
    # At most the size cap plus one byte: a larger file is reported, not loaded.
    with fs.open_input_stream(path) as f:
        return f.read(cap + 1)


def serve(conn: Connection) -> None:
    kwargs, fs, supported_only, threads = conn.recv()
    v = provcheck.Verifier(**kwargs)
    cap = int(kwargs.get("max_file_size") or provcheck.DEFAULT_MAX_FILE_SIZE)
    local = _is_local(fs)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        kind, items = job
        if kind == "paths" and local:
            # The Rust side reads the files itself (bounded, FIFOs refused).
            if supported_only:
                items = [
                    p
                    for p in items
                    if provcheck.supported(p, b"") or provcheck.supported(p, _head_of_local(p))
                ]
        else:
            if kind == "paths":
                items = [(p, _read(fs, p, cap)) for p in items]
            if supported_only:
                items = [(n, d) for n, d in items if provcheck.supported(n, d[:HEAD_LEN])]
        conn.send(v._scan_rows(items, threads=threads))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
