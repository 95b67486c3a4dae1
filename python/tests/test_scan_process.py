"""The parts of the Ray scan that need no Ray cluster: the row a file gets (`_scan_rows`, the
fast path that skips building report dicts), the checking process every Ray worker keeps (its
rows equal `provcheck scan`'s reports, files `scan` passes over get none, a file that kills or
hangs the process costs that one file a `provcheck.crashed` / `provcheck.timeout` row and the
process is replaced), and the fixed Arrow schema that lets batches concatenate."""

import hashlib
import json
import shutil
import subprocess

import pytest

from conftest import BIN


def fields(report):
    """The Ray columns, as the README documents them, taken from a report dict."""
    chain = (report.get("trust") or {}).get("path") or []
    return (
        report["input"].get("path"),
        report["input"]["size"],
        report["input"].get("sha256"),
        report["verdict"],
        (report.get("claimed_source") or {}).get("summary"),
        (report.get("authenticated_source") or {}).get("organization"),
        chain[0]["subject"] if chain else None,
        [r["code"] for r in report["reasons"]],
    )


def test_scan_rows_equal_the_report_dicts(files):
    import provcheck

    # A fixed time to judge chains at when a file has no trusted time-stamp (else "now",
    # which differs between the two calls and is written into the reports).
    verifier = provcheck.Verifier(at="2026-06-01T00:00:00Z")
    rows = verifier._scan_rows(files, threads=2)
    dicts = verifier.verify_many(files, threads=2)
    assert len(rows) == len(files)
    verdicts = set()
    for f, row, d in zip(files, rows, dicts):
        assert row[0] == f
        assert tuple(row[:8]) == fields(d), f
        assert json.loads(row[8]) == d, f
        verdicts.add(row[3])
    # the corpus has every kind of outcome, so every column was exercised
    assert {"authentic", "tampered", "untrusted", "unsigned", "error"} <= verdicts


def test_scan_rows_misuse_raises(verifier):
    with pytest.raises(TypeError):
        verifier._scan_rows("one/path.jpg")
    with pytest.raises(ValueError):
        verifier._scan_rows([], threads=0)


@pytest.fixture
def folder(corpus, tmp_path):
    """A few generator files, a text file `provcheck scan` passes over, and an empty .jpg."""
    d = tmp_path / "data"
    d.mkdir()
    picked = sorted((corpus / "generators").rglob("*.jpg"))[:3]
    picked += sorted((corpus / "generators").rglob("*.png"))[:2]
    for i, p in enumerate(picked):
        shutil.copy(p, d / f"{i}-{p.name}")
    (d / "notes.txt").write_text("not an image\n")
    (d / "empty.jpg").write_bytes(b"")
    return d


def scan_reports(folder):
    out = subprocess.run([str(BIN), "scan", str(folder), "--format", "jsonl"],
                         capture_output=True, text=True, timeout=300)
    return {json.loads(l)["input"]["path"]: json.loads(l) for l in out.stdout.splitlines()}


def listed(folder):
    return sorted(str(p) for p in folder.iterdir())


def checking_process(**kw):
    from provcheck.ray import _CheckingProcess

    return _CheckingProcess(verifier_kwargs={"sdk_trust": False}, **kw)


def test_checking_process_rows_equal_provcheck_scan(folder):
    want = scan_reports(folder)
    assert str(folder / "notes.txt") not in want and len(want) == 6
    cp = checking_process()
    try:
        rows = cp.rows("paths", listed(folder))
        by_bytes = cp.rows("bytes", [(p, open(p, "rb").read()) for p in listed(folder)])
    finally:
        cp.close()
    for got in (rows, by_bytes):
        assert sorted(r[0] for r in got) == sorted(want), "one row per file scan checks"
        for r in got:
            assert tuple(r[:8]) == fields(want[r[0]]), r[0]


def test_a_file_that_kills_the_process_costs_one_row(folder, monkeypatch):
    victim = folder / "kills-the-checker.jpg"
    shutil.copy(sorted(folder.glob("*.jpg"))[0], victim)
    # The child inherits the test-only hook (compiled into the wheel scripts/test-python.sh
    # builds): checking this file aborts the process.
    monkeypatch.setenv("PROVCHECK_PY_TEST_FAULT", "abort:kills-the-checker")
    want = scan_reports(folder)
    cp = checking_process()
    try:
        first = cp.proc.pid
        rows = cp.rows("paths", listed(folder))
        assert cp.proc.pid != first, "the process was replaced"
        again = cp.rows("paths", [str(sorted(folder.glob("*.png"))[0])])
    finally:
        cp.close()
    by_path = {r[0]: r for r in rows}
    assert len(by_path) == len(rows) == len(want), "every other file still has its row"
    crashed = by_path.pop(str(victim))
    assert crashed[3] == "error" and crashed[7] == ["provcheck.crashed"], (
        "the wheel lacks the test-hooks feature?" if crashed[3] != "error" else crashed)
    assert crashed[2] == hashlib.sha256(victim.read_bytes()).hexdigest()
    assert json.loads(crashed[8])["reasons"][0]["code"] == "provcheck.crashed"
    for p, r in by_path.items():
        assert tuple(r[:8]) == fields(want[p]), p
    assert len(again) == 1 and again[0][3] == want[again[0][0]]["verdict"]


def test_a_file_that_hangs_costs_one_timeout_row(folder, monkeypatch):
    victim = folder / "hangs-the-checker.png"
    shutil.copy(sorted(folder.glob("*.png"))[0], victim)
    monkeypatch.setenv("PROVCHECK_PY_TEST_FAULT", "hang:hangs-the-checker")
    items = [str(victim)] + [str(p) for p in sorted(folder.glob("*.jpg"))[:2]]
    cp = checking_process(timeout=1.0)
    try:
        rows = cp.rows("paths", items)
    finally:
        cp.close()
    assert [r[0] for r in rows] == items
    assert rows[0][3] == "error" and rows[0][7] == ["provcheck.timeout"], rows[0][:8]
    assert all(r[3] != "error" for r in rows[1:]), [r[:8] for r in rows[1:]]


def test_batches_with_and_without_a_column_concatenate():
    """A batch whose files all lack an authenticated source (or signer, or claim) still has
    the column's real type, so batches concatenate into one table / Parquet file."""
    import pyarrow as pa

    from provcheck.ray import COLUMNS, _table

    none = [("/a.jpg", 1, None, "unsigned", None, None, None, [], "{}")]
    some = [("/b.jpg", 2, "ab", "authentic", "Adobe", "Adobe Inc.", "CN=x", ["c"], "{}")]
    t = pa.concat_tables([_table(none, "n1"), _table(some, "n2"), _table([], "n3")])
    assert t.column_names == list(COLUMNS)
    assert t.column("authenticated_source").to_pylist() == [None, "Adobe Inc."]
    assert t.column("node_id").to_pylist() == ["n1", "n2"]
