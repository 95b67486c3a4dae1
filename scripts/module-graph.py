#!/usr/bin/env python3
"""The module import graph of provcheck's library, file by file; fails on a cycle or a big file.

Reads every file of the library's module tree (src/lib.rs and the `mod` declarations under it),
with comments and string contents blanked and #[cfg(test)] items left out (test modules, inline
or in their own file, and test-only functions or imports). Every path that names another module
of the crate is an edge FILE -> FILE:

  use crate::a::b::{C, d::E};   use super::x;   use self::y;   crate::a::f(..)   super::g(..)
  use child::X;                 (a path that starts with a child module of the file's module)

A path leads to the deepest module file it names; an item that module re-exports with `pub use`
is followed to the file that defines it (so `crate::scan::Summary` counts as an import of
scan/summary.rs when scan/mod.rs says `pub use summary::Summary`). `mod` declarations themselves
are not edges.

Prints the graph (each file and what it imports), the cycles (each strongly connected group of
files, with one cycle through each of its edges) and the files over the size limit (lines of
non-test code, blank and comment-only lines not counted). Exits 1 when there is a cycle edge or a
big file that the allow file does not list, or an allow-file line that no longer applies
(remove it, so the list stays true); 0 otherwise; 2 on a usage error.

Allow file (--allow FILE), one entry a line, `#` starts a comment:
  cycle src/a.rs -> src/b.rs     an import edge that lies on a cycle today
  size src/x.rs                  a file over the limit today

Usage: scripts/module-graph.py [--allow FILE] [--max-lines N] [--quiet] [--root DIR]
       scripts/module-graph.py --print-allow      (allow lines for today's state)
Python 3 standard library only.
"""

import argparse
import os
import re
import sys
from collections import defaultdict

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


# ------------------------------------------------------------------------------------ lexing


def blank(src):
    """The source with comments removed and string/char literal contents replaced by spaces;
    newlines are kept so line numbers and brace matching stay right."""
    out = []
    i, n = 0, len(src)

    def keep_newlines(s):
        return "".join(c if c == "\n" else " " for c in s)

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(keep_newlines(src[i:j]))
            i = j
        elif re.match(r'(br|r)#*"', src[i:i + 260]) and not (i and re.match(r"\w", src[i - 1])):
            m = re.match(r'(br|r)(#*)"', src[i:])
            end = '"' + m.group(2)
            j = src.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append(m.group(1) + '"' + keep_newlines(src[i + len(m.group(0)):j - len(end)]) + '"')
            i = j
        elif c == '"' or (c == "b" and src.startswith('b"', i) and not (i and re.match(r"\w", src[i - 1]))):
            j = i + (2 if c == "b" else 1)
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append('"' + keep_newlines(src[i + 1:j]) + '"')
            i = j + 1
        elif c == "'":
            # a char literal ('x', '\n', '\u{1F600}', b'x' handled by the 'b' falling through)
            # or a lifetime ('a): a literal closes with a quote within a few characters
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'\n])'", src[i:])
            if m:
                out.append("' '")
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def matching_brace(text, open_at):
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


CFG_TEST = re.compile(r"#\[\s*cfg\s*\(\s*test\s*\)\s*\]")
ATTR = re.compile(r"\s*#\[[^\]]*\]")
MOD_FILE = re.compile(r"\s*(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+(" + IDENT + r")\s*;")


def strip_test_items(text):
    """(text with #[cfg(test)] items blanked, names of test-only `mod x;` file modules)."""
    test_mods = set()
    while True:
        m = CFG_TEST.search(text)
        if not m:
            return text, test_mods
        start, pos = m.start(), m.end()
        while True:  # further attributes on the same item
            a = ATTR.match(text, pos)
            if not a:
                break
            pos = a.end()
        mf = MOD_FILE.match(text, pos)
        if mf:
            test_mods.add(mf.group(1))
            end = mf.end()
        else:
            semi = text.find(";", pos)
            brace = text.find("{", pos)
            if brace >= 0 and (semi < 0 or brace < semi):
                end = matching_brace(text, brace) + 1
            else:
                end = (semi if semi >= 0 else len(text) - 1) + 1
        text = text[:start] + "".join(ch if ch == "\n" else " " for ch in text[start:end]) + text[end:]


# ------------------------------------------------------------------------- module tree


class Module:
    def __init__(self, path, file, text, original):
        self.path = path  # tuple of segments, () for the crate root
        self.file = file  # relative to the project root
        self.text = text  # blanked, test items removed
        self.original = original
        self.children = {}  # name -> module path tuple
        self.reexports = {}  # name -> absolute path tuple (from `pub use`)
        self.uses = []  # absolute path tuples this file names
        self.local = {}  # name -> module path, for paths that start with a child or an imported module


def child_file(parent_file, parent_is_dir_owner, name, root):
    base = os.path.dirname(parent_file) if parent_is_dir_owner else os.path.splitext(parent_file)[0]
    for cand in (os.path.join(base, name + ".rs"), os.path.join(base, name, "mod.rs")):
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def load_tree(root):
    modules = {}
    todo = [((), "src/lib.rs")]
    while todo:
        path, file = todo.pop()
        with open(os.path.join(root, file), encoding="utf-8") as f:
            original = f.read()
        text, test_mods = strip_test_items(blank(original))
        m = Module(path, file, text, original)
        modules[path] = m
        owner = os.path.basename(file) in ("lib.rs", "main.rs", "mod.rs")
        for decl in re.finditer(r"(?:^|[;{}\s])(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+(" + IDENT + r")\s*;", text):
            name = decl.group(1)
            if name in test_mods:
                continue
            cf = child_file(file, owner, name, root)
            if cf is None:
                print(f"warning: {file}: module {name} has no file", file=sys.stderr)
                continue
            m.children[name] = path + (name,)
            todo.append((path + (name,), cf))
        for decl in re.finditer(r"(?:^|[;{}\s])(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+(" + IDENT + r")\s*\{", text):
            # inline non-test module: treated as part of its file; its `self`/`super` resolve
            # against the file's module (close enough for a file-level graph)
            m.children.setdefault(decl.group(1), path)
    return modules


# --------------------------------------------------------------------------- use trees


def expand_use_tree(tree):
    """`a::{b, c::{d, e}, self}` -> [[a,b], [a,c,d], [a,c,e], [a,self]] (aliases removed first)."""
    tree = re.sub(r"\s+", "", tree)

    def parse(s, i, prefix):
        paths, seg = [], ""
        while i < len(s):
            ch = s[i]
            if s.startswith("::", i):
                prefix = prefix + [seg] if seg else prefix
                seg = ""
                i += 2
            elif ch == "{":
                sub, i = parse_group(s, i + 1, prefix + ([seg] if seg else []))
                paths.extend(sub)
                seg = None
                break
            elif ch in ",}":
                break
            else:
                seg += ch
                i += 1
        if seg:
            paths.append(prefix + [seg])
        return paths, i

    def parse_group(s, i, prefix):
        paths = []
        while i < len(s) and s[i] != "}":
            sub, i = parse(s, i, list(prefix))
            paths.extend(sub)
            if i < len(s) and s[i] == ",":
                i += 1
        return paths, i + 1

    return parse(tree, 0, [])[0]


USE_STMT = re.compile(r"(?:^|[;{}\s])(pub(?:\s*\([^)]*\))?\s+)?use\s+([^;]+);")
PATH = re.compile(r"(?<![A-Za-z0-9_:])(" + IDENT + r"(?:\s*::\s*" + IDENT + r")+)")


def absolute(m, segs, modules):
    """Resolve a path's leading crate/super/self/child-or-imported-module segment; None for
    paths outside the crate (std, dependencies) and for paths this tool cannot place."""
    segs = [s for s in segs if s]
    if not segs:
        return None
    if segs[0] == "crate":
        return tuple(segs[1:])
    if segs[0] in ("super", "self"):
        base = list(m.path)
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                if not base:
                    return None
                base.pop()
            segs = segs[1:]
        return tuple(base + segs)
    if segs[0] in m.local:
        return m.local[segs[0]] + tuple(segs[1:])
    return None


def use_paths(tree):
    """(path segments, name bound) for each leaf of a use tree; `x as y` binds y."""
    tree = re.sub(r"(" + IDENT + r")\s+as\s+(" + IDENT + r")", r"\1@\2", tree)
    for segs in expand_use_tree(tree):
        if not segs:
            continue
        last, _, alias = segs[-1].partition("@")
        segs = segs[:-1] + ([last] if last not in ("*", "self") else [])
        name = alias or (last if last not in ("*", "self") else (segs[-1] if segs else ""))
        yield segs, name


def collect_uses(modules):
    for m in modules.values():
        m.local = dict(m.children)
    # use statements first (they also bind module names for the inline paths)
    spans = {}
    for m in modules.values():
        spans[m.file] = []
        for _ in range(2):  # twice: a `use` may rely on a module name bound by another `use`
            m.uses = []
            for u in USE_STMT.finditer(m.text):
                is_pub = bool(u.group(1))
                spans[m.file].append((u.start(2), u.end(2)))
                for segs, name in use_paths(u.group(2)):
                    a = absolute(m, segs, modules)
                    if a is None:
                        continue
                    m.uses.append(a)
                    if a in modules and name and name != "_":
                        m.local.setdefault(name, a)
                    if is_pub and name and name != "_":
                        m.reexports[name] = a
    for m in modules.values():
        for p in PATH.finditer(m.text):
            if any(s <= p.start() < e for s, e in spans[m.file]):
                continue
            a = absolute(m, re.sub(r"\s+", "", p.group(1)).split("::"), modules)
            if a is not None:
                m.uses.append(a)


def target_module(path, modules, depth=0):
    """The module file a resolved path leads to (deepest module, then through `pub use`)."""
    best = ()
    for k in range(len(path), -1, -1):
        if tuple(path[:k]) in modules:
            best = tuple(path[:k])
            break
    rest = path[len(best):]
    if rest and depth < 8:
        m = modules[best]
        if rest[0] in m.reexports and m.reexports[rest[0]] != best + (rest[0],):
            return target_module(m.reexports[rest[0]] + tuple(rest[1:]), modules, depth + 1)
    return best


def build_graph(modules):
    graph = defaultdict(set)
    for m in modules.values():
        graph[m.file]
        for path in m.uses:
            t = modules[target_module(path, modules)].file
            if t != m.file:
                graph[m.file].add(t)
    return graph


# ---------------------------------------------------------------------------------- cycles


def sccs(graph):
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    advanced = True
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


def shortest_path(graph, src, dst, allowed):
    prev, queue = {src: None}, [src]
    while queue:
        nxt = []
        for v in queue:
            for w in sorted(graph[v]):
                if w in allowed and w not in prev:
                    prev[w] = v
                    nxt.append(w)
        queue = nxt
    if dst not in prev:
        return None
    out, v = [], dst
    while v is not None:
        out.append(v)
        v = prev[v]
    return out[::-1]


# ----------------------------------------------------------------------------------- sizes


def code_lines(text):
    return sum(1 for line in text.splitlines() if line.strip())


# ------------------------------------------------------------------------------------ main


def read_allow(path):
    cycles, sizes = set(), set()
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            m = re.fullmatch(r"cycle\s+(\S+)\s*->\s*(\S+)", line)
            s = re.fullmatch(r"size\s+(\S+)", line)
            if m:
                cycles.add((m.group(1), m.group(2)))
            elif s:
                sizes.add(s.group(1))
            else:
                print(f"{path}:{n}: not an allow line: {raw.rstrip()}", file=sys.stderr)
                sys.exit(2)
    return cycles, sizes


SELF_TEST_FILES = {
    "src/lib.rs": "pub mod a;\npub mod b;\nmod c;\n#[cfg(test)]\nmod t;\npub use a::A;\n",
    "src/a.rs": "//! uses b\nuse crate::b::B;\npub struct A;\n",
    "src/b.rs": "pub struct B;\n/// [`crate::a::A`] in a doc comment is no import\npub fn s() -> &'static str { \"crate::a::A\" }\n"
    "#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n",
    "src/c/mod.rs": "mod d;\npub(crate) fn f() { d::g() }\n",
    "src/c/d.rs": "pub(crate) fn g() {}\n",
    "src/t.rs": "use crate::c;\n",
}


def self_test():
    """The checker can fail: a clean tree passes, a cycle (also one through a re-export, an
    inline path, a child-relative path) fails unless allowed, a stale allow line fails, a big
    file fails; comments, strings and test modules make no edge."""
    import subprocess
    import tempfile

    def run(files, allow=None, extra=()):
        with tempfile.TemporaryDirectory() as d:
            for rel, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
                with open(os.path.join(d, rel), "w") as f:
                    f.write(text)
            cmd = [sys.executable, os.path.abspath(__file__), "--root", d, *extra]
            if allow is not None:
                with open(os.path.join(d, "allow.txt"), "w") as f:
                    f.write(allow)
                cmd += ["--allow", os.path.join(d, "allow.txt")]
            p = subprocess.run(cmd, capture_output=True, text=True)
            return p.returncode, p.stdout + p.stderr

    failures = []

    def expect(name, want, got):
        rc, out = got
        if rc != want:
            failures.append(f"{name}: exit {rc}, expected {want}\n{out}")

    base = dict(SELF_TEST_FILES)
    expect("clean tree", 0, run(base))
    cyc = dict(base, **{"src/b.rs": "pub struct B;\npub fn h() { let _ = crate::A; }\n"})
    expect("cycle through a re-export and an inline path", 1, run(cyc))
    allow = "cycle src/a.rs -> src/b.rs\ncycle src/b.rs -> src/a.rs\n"
    expect("allowed cycle", 0, run(cyc, allow))
    expect("stale allow line", 1, run(base, allow))
    child = dict(base, **{"src/c/d.rs": "pub(crate) fn g() { super::super::c::f() }\n"})
    expect("cycle through super:: and a child-relative path", 1, run(child))
    big = dict(base, **{"src/c/d.rs": "pub(crate) fn g() {}\n" + "const X: u8 = 0;\n" * 20})
    expect("big file", 1, run(big, extra=["--max-lines", "10"]))
    expect("allowed big file", 0, run(big, "size src/c/d.rs\n", ["--max-lines", "10"]))
    if failures:
        print("self-test FAILED:\n" + "\n".join(failures), file=sys.stderr)
        return 1
    print("self-test OK")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--allow", help="allow file: cycle edges and big files known today")
    ap.add_argument("--max-lines", type=int, default=800, help="non-test code lines per file (800)")
    ap.add_argument("--quiet", action="store_true", help="print only problems and the verdict")
    ap.add_argument(
        "--print-allow",
        action="store_true",
        help="print allow-file lines for every cycle edge and big file of today, and exit 0",
    )
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--self-test", action="store_true", help="check that this checker can fail")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    root = os.path.abspath(args.root)
    if not os.path.isfile(os.path.join(root, "src/lib.rs")):
        print(f"{root}/src/lib.rs not found", file=sys.stderr)
        return 2
    allowed_cycles, allowed_sizes = read_allow(args.allow) if args.allow else (set(), set())

    modules = load_tree(root)
    collect_uses(modules)
    graph = build_graph(modules)

    if args.print_allow:
        cycle_edges = sorted((a, b) for comp in sccs(graph) for a in comp for b in sorted(graph[a] & set(comp)))
        for a, b in cycle_edges:
            print(f"cycle {a} -> {b}")
        for m in sorted(modules.values(), key=lambda m: m.file):
            n = code_lines(m.text)
            if n > args.max_lines:
                print(f"size {m.file}    # {n} lines")
        return 0

    if not args.quiet:
        print(f"== module import graph ({len(graph)} files, {sum(len(v) for v in graph.values())} edges)")
        for f in sorted(graph):
            print(f"{f} -> {', '.join(sorted(graph[f])) or '(nothing)'}")

    problems = []
    cycle_edges = set()
    groups = sccs(graph)
    print(f"\n== cycles: {len(groups)} group(s) of files that import each other")
    for i, comp in enumerate(groups, 1):
        members = set(comp)
        print(f"group {i} ({len(comp)} files): {', '.join(comp)}")
        for a in comp:
            for b in sorted(graph[a] & members):
                cycle_edges.add((a, b))
                new = (a, b) not in allowed_cycles
                if new or not args.quiet:
                    back = shortest_path(graph, b, a, members)
                    mark = "   <-- NEW" if new else ""
                    print(f"  cycle {a} -> {b}    ({' -> '.join([a] + back)}){mark}")
                if new:
                    problems.append(f"new cycle edge: cycle {a} -> {b}")
    for a, b in sorted(allowed_cycles - cycle_edges):
        problems.append(f"allowed edge no longer on a cycle (remove it from the allow file): cycle {a} -> {b}")

    print(f"\n== files over {args.max_lines} lines of non-test code (blank and comment lines not counted)")
    big = set()
    for m in sorted(modules.values(), key=lambda m: m.file):
        n = code_lines(m.text)
        if n > args.max_lines:
            big.add(m.file)
            mark = "" if m.file in allowed_sizes else "   <-- NEW"
            print(f"  size {m.file}    ({n} lines){mark}")
            if m.file not in allowed_sizes:
                problems.append(f"file over {args.max_lines} lines: size {m.file} ({n})")
    for f in sorted(allowed_sizes - big):
        problems.append(f"allowed file no longer over the limit (remove it from the allow file): size {f}")

    if problems:
        print("\nFAILED:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print("\nOK: no cycle or big file beyond the allow file" if args.allow else "\nOK: no cycle, no big file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
