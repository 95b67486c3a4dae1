"""provcheck's verdicts against the validation state of c2pa-python (a newer c2pa-rs than the one
provcheck pins: c2pa-python 0.38.1 carries c2pa-rs 0.91.3), file by file. A hand audit, not a
test: it lists the two disagreements that could be the worst defects,

  authentic  where c2pa-python says Invalid (a forged or changed file read as genuine?)
  tampered   where c2pa-python says Valid or Trusted (a genuine file called changed?)

with both sides' failure codes and provcheck's summary, then a table of (verdict, state) pairs.
Each listed file needs a reason: on the shared corpus (2026-12-02) all twelve were deliberate
(a trusted time-stamp inside the certificate's validity, which c2pa-python does not trust without
its trust lists: `signingCredential.expired`; Microsoft's certificates, whose only extended key
usage (1.3.6.1.4.1.311.76.59.1.9) 0.91.3 refuses without a trust configuration ("certificate
missing required EKU", `signingCredential.invalid`) where 0.90.22 (`provcheck verify
--sdk-only`) does not, and which provcheck's bundled interim configuration lists; a CAWG
identity issuer that cannot be resolved offline: `cawg.ica.did_unavailable`, a warning in
provcheck; a Motion Photo whose optional video part is gone). Both sides run with no network; c2pa-python without trust lists or trust
configuration (provcheck with its bundled ones).

Usage (the venv of scripts/bench-python.sh has c2pa-python):
  target/pyvenv/bin/python scripts/audit-against-c2pa-python.py FILE_OR_DIR... [--all]
--all prints every file, not only the disagreements."""
import collections
import json
import os
import re
import subprocess
import sys

import c2pa


MEDIA = re.compile(r"\.(jpe?g|png|gif|webp|tiff?|dng|heic|heif|avif|jxl|svg|mp4|mov|m4a|wav|avi|"
                   r"mp3|flac|pdf)$", re.IGNORECASE)


def files_of(args):
    """The files named, and the media files (by extension) under the folders named."""
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                yield from (os.path.join(root, n) for n in sorted(names) if MEDIA.search(n))
        else:
            yield a


def main():
    show_all = "--all" in sys.argv
    files = list(files_of(a for a in sys.argv[1:] if a != "--all"))
    if not files:
        sys.exit(__doc__)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = os.environ.get("PROVCHECK", os.path.join(root, "target", "release", "provcheck"))
    out = subprocess.run([binary, "verify", "--format", "jsonl", *files], capture_output=True,
                         text=True, check=False).stdout
    ours = {}
    for line in out.splitlines():
        r = json.loads(line)
        ours[r["input"]["path"]] = r
    ctx = c2pa.Context.from_dict({"verify": {
        "remote_manifest_fetch": False, "ocsp_fetch": False, "verify_trust": False}})
    table = collections.Counter()
    flagged = 0
    for f in files:
        try:
            with c2pa.Reader(f, context=ctx) as rd:
                store = json.loads(rd.json())
            state = store.get("validation_state", "?")
            active = (store.get("validation_results") or {}).get("activeManifest") or {}
            theirs = [s.get("code") for s in active.get("failure", [])]
        except Exception as e:  # no manifest, unsupported, unreadable: c2pa-python raises
            state, theirs = "error", [type(e).__name__]
        r = ours.get(f, {})
        verdict = r.get("verdict", "?")
        table[(verdict, state)] += 1
        risky = ((verdict == "authentic" and state not in ("Valid", "Trusted"))
                 or (verdict == "tampered" and state in ("Valid", "Trusted")))
        flagged += risky
        if risky or show_all:
            mine = [x["code"] for x in r.get("reasons", []) if x.get("severity") == "failure"]
            print(f"{'!!' if risky else '  '} {verdict:10s} {state:8s} {f}\n"
                  f"     c2pa-python failures: {theirs[:5]}\n"
                  f"     provcheck failures: {mine[:5]}; {r.get('summary', '')[:160]}")
    print(f"\n{len(files)} files, {flagged} to explain")
    for (verdict, state), n in sorted(table.items()):
        print(f"{n:5d}  provcheck {verdict:10s} c2pa-python {state}")


if __name__ == "__main__":
    main()
