#!/usr/bin/env bash
# Are the reports of two builds of provcheck the same? Proof that a refactor changes no behaviour.
#
# Runs `provcheck verify --jsonl` of each build over every file of the shared corpus (conformance,
# generators, multipart; ../shared/corpus from the project root), drops the fields that depend on
# the clock only, and diffs the two sets of reports and exit codes. Exit 0 when they are the same,
# 1 on any difference (the diff is printed), 2 on a usage or build error.
#
# Usage:
#   scripts/compare-reports.sh BASE_REV            build BASE_REV and the working tree, compare
#   scripts/compare-reports.sh BASE_REV NEW_REV    build two revisions, compare
#   scripts/compare-reports.sh --bin OLD NEW       compare two existing binaries, build nothing
#
# A revision is built from a `git worktree` of it in target/compare-reports/src-REV (removed after)
# into its own target dir, target/compare-reports/target-REV, so repeated runs reuse the build; the
# working tree is built into the project's own target dir (CARGO_TARGET_DIR if set). Builds run
# with CARGO_BUILD_JOBS (default 1) and --release.
#
# Clock-only fields: `trust.evaluated_at` when `trust.evaluated_at_origin` is `now` (the machine's
# clock; the same instant is also blanked wherever else it is quoted in the report). Nothing else is
# dropped: `input.modified` is the file's mtime, which both runs read from the same files.
#
# Environment: CORPUS=dir (default ../shared/corpus), KEEP=1 keeps the reports in
# target/compare-reports/{old,new}.jsonl (they are kept anyway on a difference).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
cd "$ROOT"

usage() {
    sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

WORK="$ROOT/target/compare-reports"
mkdir -p "$WORK"
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}

# build_rev REV -> prints the path of the release binary of REV.
build_rev() {
    local rev=$1 sha src tgt
    sha=$(git rev-parse --verify --quiet "$rev^{commit}") || {
        echo "compare-reports: not a revision: $rev" >&2
        exit 2
    }
    tgt="$WORK/target-$sha"
    if [[ ! -x "$tgt/release/provcheck" ]]; then
        src="$WORK/src-$sha"
        git worktree remove --force "$src" 2>/dev/null || rm -rf "$src"
        git worktree add --detach --quiet "$src" "$sha" >&2
        # Seed the new target dir from ours so that the dependencies are not compiled again.
        if [[ ! -d "$tgt" && -d "$ROOT/target/release/deps" ]]; then
            mkdir -p "$tgt"
            cp -a "$ROOT/target/release" "$tgt/release"
        fi
        (cd "$src" && cargo build --release --quiet --bin provcheck --target-dir "$tgt") >&2 || {
            git worktree remove --force "$src" >/dev/null 2>&1 || true
            echo "compare-reports: build of $rev failed" >&2
            exit 2
        }
        git worktree remove --force "$src" >/dev/null 2>&1 || true
    fi
    echo "$tgt/release/provcheck"
}

build_worktree() {
    local tgt=${CARGO_TARGET_DIR:-$ROOT/target}
    cargo build --release --quiet --bin provcheck --target-dir "$tgt" >&2 || {
        echo "compare-reports: build of the working tree failed" >&2
        exit 2
    }
    echo "$tgt/release/provcheck"
}

case "${1:-}" in
"" | -h | --help) usage ;;
--bin)
    [[ $# -eq 3 ]] || usage
    OLD=$2
    NEW=$3
    OLD_NAME=$2
    NEW_NAME=$3
    ;;
*)
    [[ $# -le 2 ]] || usage
    OLD=$(build_rev "$1")
    OLD_NAME=$1
    if [[ $# -eq 2 ]]; then
        NEW=$(build_rev "$2")
        NEW_NAME=$2
    else
        NEW=$(build_worktree)
        NEW_NAME="working tree"
    fi
    ;;
esac
for bin in "$OLD" "$NEW"; do
    [[ -x "$bin" ]] || {
        echo "compare-reports: not an executable: $bin" >&2
        exit 2
    }
done

CORPUS=${CORPUS:-../shared/corpus}
FILES=()
while IFS= read -r -d '' f; do FILES+=("$f"); done < <(
    for sub in conformance generators multipart; do
        [[ -d "$CORPUS/$sub" ]] || {
            echo "compare-reports: missing corpus folder $CORPUS/$sub" >&2
            exit 2
        }
        find "$CORPUS/$sub" -type f -print0
    done | LC_ALL=C sort -z
)
[[ ${#FILES[@]} -gt 0 ]] || {
    echo "compare-reports: no files under $CORPUS" >&2
    exit 2
}

# run BIN OUT: one normalised report per line, then the exit code.
run() {
    local bin=$1 out=$2 rc=0
    "$bin" verify --jsonl --color never -- "${FILES[@]}" >"$out.raw" 2>"$out.stderr" || rc=$?
    python3 - "$out.raw" >"$out" <<'EOF'
import json, sys

# The raw line is kept byte for byte; only the clock's instant is blanked in it.
with open(sys.argv[1], encoding="utf-8", newline="") as raw:
    for n, line in enumerate(raw, 1):
        line = line.rstrip("\n")
        try:
            doc = json.loads(line)
        except ValueError:
            print(f"line {n}: not JSON: {line}")
            continue
        trust = doc.get("trust") if isinstance(doc, dict) else None
        if isinstance(trust, dict) and trust.get("evaluated_at_origin") == "now":
            now = trust.get("evaluated_at")
            if isinstance(now, str) and now:
                line = line.replace(now, "<now>")
        print(line)
EOF
    echo "exit code: $rc" >>"$out"
}

run "$OLD" "$WORK/old.jsonl"
run "$NEW" "$WORK/new.jsonl"
if diff -u --label "old ($OLD_NAME)" --label "new ($NEW_NAME)" "$WORK/old.jsonl" "$WORK/new.jsonl" \
    && diff -u --label "old stderr" --label "new stderr" "$WORK/old.jsonl.stderr" "$WORK/new.jsonl.stderr"; then
    echo "compare-reports: ${#FILES[@]} files, reports identical ($OLD_NAME vs $NEW_NAME)"
    [[ -n "${KEEP:-}" ]] || rm -f "$WORK"/{old,new}.jsonl{,.raw,.stderr}
    exit 0
fi
echo "compare-reports: reports differ ($OLD_NAME vs $NEW_NAME); kept in $WORK/{old,new}.jsonl" >&2
exit 1
