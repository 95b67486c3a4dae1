"""Random mutants of signed files, checked by both validation paths (`provcheck verify
--cross-check`): a campaign beside the seeded mutation tests (tests/suite/mutation.rs and
differential.rs), for looking for files on which provcheck's own path and the c2pa SDK disagree.

    python3 scripts/cross-check-mutants.py LIST OUT_DIR [PER_FILE [SEED]]

LIST is a text file of paths (one per line), e.g. the own path's files of the bench folder:

    PER_FILE=1 target/release/examples/own_path_coverage target/bench-scan/files.txt \\
        | awk -F'\\t' '$2 == "provcheck" { print $5 }' > /tmp/own.txt
    python3 scripts/cross-check-mutants.py /tmp/own.txt /tmp/mutants 60 1

Files with the same name after the bench folder's `NNNNN-` prefix are taken once. Each mutant
changes the file once: a byte flipped, a bit flipped, a byte inserted or deleted, or a run of
up to 64 bytes zeroed inside the first JUMBF superbox (the manifest store), a byte flipped
anywhere, or the file truncated. Writes the mutants to OUT_DIR, runs `provcheck verify
--cross-check --jsonl` on them (PROVCHECK: the binary, default the project's
target/release/provcheck),
writes OUT_DIR.jsonl and prints the verdict counts, every `provcheck.crossCheck.differs`, and
the authentic mutants (changes in bytes nothing covers: check each).
"""

import collections
import json
import os
import random
import struct
import subprocess
import sys

KINDS = ["flip_store", "flip_store", "flip_bit_store", "ins_store", "del_store",
         "zero_run_store", "flip_any", "trunc"]


def store_range(d: bytes):
    """The first JUMBF superbox's bytes (its stated length, or what is left of the file)."""
    i = d.find(b"jumb")
    if i < 4:
        return None
    start = i - 4
    n = struct.unpack(">I", d[start:i])[0]
    if n < 8 or start + n > len(d):
        n = len(d) - start
    return start, start + n


def mutate(d: bytes, kind: str, rng: random.Random) -> bytes:
    m = bytearray(d)
    r = store_range(d)
    if r is None and kind.endswith("store"):
        kind = "flip_any"
    if kind == "flip_store":
        o = rng.randrange(*r)
        m[o] ^= rng.randrange(1, 256)
    elif kind == "flip_bit_store":
        o = rng.randrange(*r)
        m[o] ^= 1 << rng.randrange(8)
    elif kind == "ins_store":
        o = rng.randrange(*r)
        m[o:o] = bytes([rng.randrange(256)])
    elif kind == "del_store":
        del m[rng.randrange(*r)]
    elif kind == "zero_run_store":
        o = rng.randrange(*r)
        n = rng.randrange(1, 65)
        m[o:o + n] = bytes(len(m[o:o + n]))
    elif kind == "flip_any":
        m[rng.randrange(len(m))] ^= rng.randrange(1, 256)
    else:
        m = m[:rng.randrange(1, len(m))]
    if m == d:
        # a run zeroed where the bytes were zero already: a mutant must differ from its file
        return mutate(d, "flip_store", rng)
    return bytes(m)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    listing, out = sys.argv[1], sys.argv[2]
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    sources = {}
    for p in sorted(line.strip() for line in open(listing) if line.strip()):
        name = os.path.basename(p)
        head, _, rest = name.partition("-")
        sources.setdefault(rest if head.isdigit() and rest else name, p)
    os.makedirs(out, exist_ok=True)
    written = []
    for name, p in sorted(sources.items()):
        d = open(p, "rb").read()
        base, ext = os.path.splitext(name)
        for k in range(per):
            kind = rng.choice(KINDS)
            path = os.path.join(out, f"{base}.{kind}.{k}{ext}")
            with open(path, "wb") as f:
                f.write(mutate(d, kind, rng))
            written.append(path)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    provcheck = os.environ.get("PROVCHECK", os.path.join(root, "target", "release", "provcheck"))
    results = out.rstrip("/") + ".jsonl"
    with open(results, "w") as f:
        for i in range(0, len(written), 200):
            subprocess.run([provcheck, "verify", "--cross-check", "--jsonl"] + written[i:i + 200],
                           stdout=f, stderr=subprocess.DEVNULL, check=False)
    verdicts = collections.Counter()
    differs, authentic = [], []
    for line in open(results):
        r = json.loads(line)
        verdicts[r["verdict"]] += 1
        path = os.path.basename(r["input"].get("path") or "?")
        for reason in r.get("reasons", []):
            if reason["code"] == "provcheck.crossCheck.differs":
                differs.append((path, reason["explanation"][:300]))
        if r["verdict"] == "authentic":
            authentic.append(path)
    print(f"{len(written)} mutants of {len(sources)} files; reports: {sum(verdicts.values())}; "
          f"verdicts: {dict(sorted(verdicts.items()))}")
    print(f"cross-check differences: {len(differs)}")
    for path, text in differs:
        print(f"  {path}: {text}")
    print(f"authentic mutants: {len(authentic)}")
    for path in authentic:
        print(f"  {path}")
    return 1 if differs or sum(verdicts.values()) != len(written) else 0


if __name__ == "__main__":
    sys.exit(main())
