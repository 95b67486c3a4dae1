"""The Python binding against the CLI: same verdicts and reason codes on the whole corpus,
hostile input gives error reports, misuse raises, the GIL is released during checks."""

import json
import os
import re
import pathlib
import random
import threading
import time

import pytest

import provcheck
from conftest import BIN, cli_reports


def codes(r):
    return [x["code"] for x in r.get("reasons", [])]


NOW = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def without_times(r):
    """The report with the times of the check itself (`trust.evaluated_at`, "judged at ...")
    masked: the two checks ran moments apart. Other times are compared as they are."""
    today = time.strftime("%Y-%m-%d", time.gmtime())
    text = json.dumps(r, sort_keys=True)
    return NOW.sub(lambda m: "<now>" if m.group(0).startswith(today) else m.group(0), text)


def same(a, b, label):
    assert a["verdict"] == b["verdict"], f"{label}: {a['verdict']} != {b['verdict']}: {a['summary']}"
    assert codes(a) == codes(b), f"{label}: reason codes differ"


def test_versions_match_the_cli():
    import subprocess

    out = subprocess.run([str(BIN), "--version"], capture_output=True, text=True, check=True)
    assert provcheck.__version__ in out.stdout
    assert provcheck.LONG_VERSION in out.stdout
    assert provcheck.C2PA_SDK_VERSION == "0.90.22"
    assert "C2PA Trust List" in provcheck.TRUST_LIST_DATES
    assert provcheck.SCHEMA_VERSION == 2


def test_verify_path_equals_cli_on_every_corpus_file(files, cli, verifier):
    for f in files:
        r = verifier.verify_path(f)
        same(r, cli[f], f)
        # The same document, but for the time of the check
        assert without_times(r) == without_times(cli[f]), f"{f}: differs from `verify --json`"


def test_verify_bytes_equals_cli_on_every_corpus_file(files, cli, verifier):
    for f in files:
        data = pathlib.Path(f).read_bytes()
        r = verifier.verify_bytes(data, name=f)
        same(r, cli[f], f)
        assert r["input"]["sha256"] == cli[f]["input"].get("sha256"), f
        # bytearray and memoryview give the same report as bytes
        if len(data) < 200_000:
            assert verifier.verify_bytes(bytearray(data), name=f)["verdict"] == r["verdict"]
            assert verifier.verify_bytes(memoryview(data), name=f)["verdict"] == r["verdict"]


def test_verify_many_equals_cli_in_order(files, cli, verifier):
    mixed = [f if i % 2 else pathlib.Path(f) for i, f in enumerate(files)]
    got = verifier.verify_many(mixed, threads=2)
    assert len(got) == len(files)
    for f, r in zip(files, got):
        same(r, cli[f], f)
    named = [(f, pathlib.Path(f).read_bytes()) for f in files[:20]]
    for (f, _), r in zip(named, verifier.verify_many(named)):
        same(r, cli[f], f)
        assert r["input"]["path"] == f


def test_per_call_expect_equals_cli_expect(files, verifier):
    authentic = [f for f in files if "/generators/" in f]
    sample = [f for f in authentic if verifier.verify_path(f)["verdict"] == "authentic"][:5]
    assert sample, "no authentic generator file in the corpus"
    want = cli_reports(sample, "--expect", "midjourney")
    for f, w in zip(sample, want):
        r = verifier.verify_path(f, expect="midjourney")
        same(r, w, f)
        assert r["verdict"] == "mismatched", f
        same(verifier.verify_bytes(pathlib.Path(f).read_bytes(), name=f, expect="midjourney"), w, f)
        # the verifier's own default is untouched by a per-call expect
        assert verifier.verify_path(f)["verdict"] == "authentic"


def test_hostile_input_gives_error_reports(corpus, verifier, tmp_path):
    poc = corpus / "conformance" / "tiff" / "tiff_poc.tiff"
    jpeg = sorted((corpus / "generators").rglob("*.jpg"))[0].read_bytes()
    rng = random.Random(12)
    cases = {
        "empty": b"",
        "random": bytes(rng.getrandbits(8) for _ in range(100_000)),
        # cut inside the manifest store (cut after it, the file is `tampered`: a data-hash mismatch)
        "truncated-jpeg": jpeg[:30000],
        "tiff_poc": poc.read_bytes(),
    }
    for name, data in cases.items():
        t = time.monotonic()
        r = verifier.verify_bytes(data, name=name)
        assert r["verdict"] == "error", f"{name}: {r['verdict']} {codes(r)}"
        assert codes(r), name
        assert time.monotonic() - t < 30, f"{name} took too long"
        p = tmp_path / name
        p.write_bytes(data)
        assert verifier.verify_path(p)["verdict"] == "error", name
    # what the OS refuses is a report too, never an exception
    assert codes(verifier.verify_path(tmp_path / "does-not-exist.jpg")) == ["provcheck.io.error"]
    assert codes(verifier.verify_path(tmp_path)) == ["provcheck.io.error"]
    small = provcheck.Verifier(max_file_size=1000)
    assert codes(small.verify_bytes(jpeg)) == ["provcheck.limit.size"]
    assert codes(small.verify_path(p)) == ["provcheck.limit.size"]


def test_misuse_raises(verifier, tmp_path):
    with pytest.raises(TypeError):
        verifier.verify_bytes("not bytes")
    with pytest.raises(TypeError):
        verifier.verify_bytes(12)
    with pytest.raises(TypeError):
        verifier.verify_path(12)
    with pytest.raises(TypeError):
        verifier.verify_bytes(b"x", name=5)
    with pytest.raises(ValueError):
        verifier.verify_bytes(b"x", expect="no-such-generator-xyz")
    with pytest.raises(ValueError):
        verifier.verify_path(tmp_path, expect="no-such-generator-xyz")
    with pytest.raises(TypeError):
        verifier.verify_many("a-single-path.jpg")
    with pytest.raises(TypeError):
        verifier.verify_many([1, 2])
    with pytest.raises(ValueError):
        verifier.verify_many([b"x"], threads=0)
    with pytest.raises(ValueError):
        provcheck.Verifier(max_file_size=0)
    with pytest.raises(TypeError):
        provcheck.Verifier(trust_anchors=12)
    with pytest.raises(ValueError):
        provcheck.Verifier(trust_anchors=str(tmp_path / "missing.pem"))
    with pytest.raises(ValueError):
        provcheck.Verifier(expect="no-such-generator-xyz")
    with pytest.raises(ValueError):
        provcheck.Verifier(at="yesterday")
    with pytest.raises(ValueError):
        provcheck.Verifier(generators=b"this is [not toml")


def test_default_trust_off_makes_real_signers_untrusted(files, verifier):
    bare = provcheck.Verifier(default_trust=False)
    f = next(f for f in files if verifier.verify_path(f)["verdict"] == "authentic"
             and "/generators/adobe/" in f)
    assert bare.verify_path(f)["verdict"] != "authentic"


def test_the_gil_is_released_while_checking(files, verifier):
    """A pure-Python thread keeps running while another thread is inside a long check. If
    the GIL were held, the ticker would stall for the whole call (its largest gap would be the
    call's length); released, its largest gap is a small part of it (bound generous: half)."""
    work = [pathlib.Path(f).read_bytes() for f in files if os.path.getsize(f) < 5_000_000]
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.monotonic())
            sum(range(200))

    t = threading.Thread(target=ticker)
    t.start()
    try:
        time.sleep(0.05)
        start = time.monotonic()
        reps = 0
        while time.monotonic() - start < 1.0 or reps < 1:
            verifier.verify_many(work, threads=1)
            reps += 1
        end = time.monotonic()
    finally:
        stop.set()
        t.join()
    # the call's start and end count as ticks: a held GIL shows as one gap the length of the
    # Rust part, next to a burst of ticks before or after it
    during = [start] + [x for x in ticks if start <= x <= end] + [end]
    gaps = [b - a for a, b in zip(during, during[1:])]
    duration = end - start
    print(f"GIL: {reps} verify_many calls over {duration:.2f} s, ticker {len(during)} ticks, "
          f"largest gap {max(gaps) * 1000:.1f} ms")
    assert len(during) > 100
    assert max(gaps) < duration / 2


def test_threads_overlap_in_verify_path(files, verifier, tmp_path):
    """While one thread is inside a long verify_path call, another thread's verify_path calls
    start and finish: the GIL is released during the check. Timing only orders events, so other
    load on the machine cannot make a held GIL pass or a released one fail: with the GIL held,
    the second thread could run only in the moment before the long call enters native code,
    never in the middle of it."""
    small = sorted(files, key=os.path.getsize)[len(files) // 2]
    # a large file: a corpus JPEG with 160 MB appended (read and hashed whole, under the cap)
    big = tmp_path / "big.jpg"
    with open(big, "wb") as out:
        out.write(pathlib.Path(sorted(f for f in files if f.endswith(".jpg"))[0]).read_bytes())
        chunk = bytes(1 << 20)
        for _ in range(160):
            out.write(chunk)
    long_call = {}
    short_calls = []

    def long_thread():
        long_call["start"] = time.monotonic()
        verifier.verify_path(str(big))
        long_call["end"] = time.monotonic()

    t = threading.Thread(target=long_thread)
    t.start()
    while t.is_alive():
        s = time.monotonic()
        verifier.verify_path(small)
        short_calls.append((s, time.monotonic()))
    t.join()
    start, end = long_call["start"], long_call["end"]
    middle = start + 0.3 * (end - start)
    inside = [c for c in short_calls if c[0] > middle and c[1] < end]
    print(f"long call {end - start:.2f} s; {len(inside)} of {len(short_calls)} short calls inside it")
    assert end - start > 0.1, "the long call was too short to tell"
    assert inside, (start, end, short_calls)
