"""Shared fixtures: the corpus (skip loudly without it, fail with PROVCHECK_REQUIRE_CORPUS=1),
the CLI binary and its `verify --json` reports to compare with."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = pathlib.Path(os.environ.get("PROVCHECK_CORPUS", ROOT.parent / "shared" / "corpus"))
BIN = pathlib.Path(os.environ.get("PROVCHECK_BIN", ROOT / "target" / "release" / "provcheck"))


def corpus_or_skip():
    if CORPUS.is_dir():
        return CORPUS
    msg = f"SKIPPED: no shared corpus at {CORPUS} (PROVCHECK_REQUIRE_CORPUS=1 makes this fail)"
    if os.environ.get("PROVCHECK_REQUIRE_CORPUS") == "1":
        pytest.fail(msg.replace("SKIPPED", "MISSING"), pytrace=False)
    print(msg, file=sys.stderr)
    pytest.skip(msg)


def corpus_files(corpus):
    files = []
    for sub in ("generators", "conformance"):
        files += sorted(str(p) for p in (corpus / sub).rglob("*") if p.is_file())
    assert len(files) > 100, f"the corpus looks incomplete: {len(files)} files"
    return files


def cli_reports(paths, *extra):
    assert BIN.is_file(), f"{BIN} missing: run `cargo build --release` first"
    out = subprocess.run(
        [str(BIN), "verify", "--json", *extra, "--", *paths],
        capture_output=True,
        check=False,
        timeout=900,
    )
    assert out.returncode in (0, 1), out.stderr.decode(errors="replace")
    doc = json.loads(out.stdout)
    return doc if isinstance(doc, list) else [doc]


@pytest.fixture(scope="session")
def corpus():
    return corpus_or_skip()


@pytest.fixture(scope="session")
def files(corpus):
    return corpus_files(corpus)


@pytest.fixture(scope="session")
def cli(files):
    reports = cli_reports(files)
    assert len(reports) == len(files)
    return dict(zip(files, reports))


@pytest.fixture(scope="session")
def verifier():
    import provcheck

    return provcheck.Verifier()
