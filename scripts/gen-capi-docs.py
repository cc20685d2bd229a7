#!/usr/bin/env python3
"""Generates docs/capi-reference.md from the public C headers.

Every declaration of capi/include/tl-c/*.h and runtime/include/tlrt.h is
listed with the `///` comment above it, in header order, under the header's
banner text and its `//===--- section ---===//` titles. A comment documents
the declarations that follow it up to the next blank line or comment, so a
group such as `tlGetNumPasses` + `tlGetPassInfo` is shown together.

  scripts/gen-capi-docs.py                 # writes docs/capi-reference.md
  scripts/gen-capi-docs.py -o -            # to stdout
  scripts/gen-capi-docs.py --check FILE    # exit 1 if FILE is not up to date

test/Packaging/capi-docs.test regenerates it and diffs with the committed
file: edit the headers, then rerun this script.
"""
import argparse
import difflib
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADERS = ["capi/include/tl-c/*.h", "runtime/include/tlrt.h"]
# Dialect first, then the order a user meets them; unknown headers last.
ORDER = ["Dialect.h", "Attributes.h", "Ops.h", "Passes.h", "Compile.h",
         "EmitC.h", "tlrt.h"]

FUNC = re.compile(r"^(?P<ret>[\w\s\*]+?)\b(?P<name>[A-Za-z_]\w*)\s*\((?P<args>.*)\)\s*;$", re.S)


class Entry:
    def __init__(self, doc, decls):
        self.doc = doc      # list of doc lines (without ///)
        self.decls = decls  # list of (kind, name, text)


def header_key(path):
    base = os.path.basename(path)
    return (ORDER.index(base) if base in ORDER else len(ORDER), base)


def include_name(path, root):
    rel = os.path.relpath(path, root)
    if "/tl-c/" in "/" + rel:
        return "tl-c/" + os.path.basename(path)
    return os.path.basename(path)


def parse_banner(lines):
    """Text of the /*===-- name - title --===*\\ |* ... *| banner."""
    title, text = "", []
    if not lines or not lines[0].startswith("/*===--"):
        return title, text, 0
    m = re.match(r"/\*===-- \S+ - (.*?) -*\*- C -\*-===\*\\", lines[0])
    if m:
        title = m.group(1).strip()
    i = 1
    while i < len(lines) and lines[i].startswith("|*"):
        t = lines[i][2:].rstrip()
        if t.endswith("*|"):
            t = t[:-2]
        text.append(t[1:].rstrip() if t.startswith(" ") else t.rstrip())
        i += 1
    return title, text, i + 1


def normalize(decl):
    """One declaration on one line (functions) or as written (types)."""
    return re.sub(r"\s+", " ", decl).replace("( ", "(").replace(" )", ")").strip()


def classify(text):
    flat = normalize(re.sub(r"//.*", "", text))
    if flat.startswith("typedef") or flat.startswith("enum") or flat.startswith("struct"):
        m = re.search(r"(\w+)\s*;$", flat)
        name = m.group(1) if m else ""
        if flat.startswith("enum {") or flat.startswith("enum{"):
            consts = re.findall(r"\b([A-Z][A-Z0-9_]+)\s*=", flat)
            name = ", ".join(consts)
        return "type", name, text.rstrip()
    m = FUNC.match(flat)
    if m:
        return "function", m.group("name"), flat
    return "other", "", text.rstrip()


def parse_header(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    title, banner, i = parse_banner(lines)
    sections = [["", []]]  # [title, entries]
    doc, decls = [], []

    def flush():
        nonlocal doc, decls
        if decls:
            sections[-1][1].append(Entry(doc, decls))
        elif doc:
            # A comment with nothing under it before a blank line: keep it as
            # section prose.
            sections[-1][1].append(Entry(doc, []))
        doc, decls = [], []

    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if s.startswith("//===") and i + 2 < len(lines) and lines[i + 2].strip().startswith("//==="):
            flush()
            sections.append([lines[i + 1].strip().lstrip("/").strip(), []])
            i += 3
            continue
        if s.startswith("///"):
            if decls:
                flush()
            doc.append(s[3:][1:] if s[3:].startswith(" ") else s[3:])
            i += 1
            continue
        if (not s or s.startswith("#") or s.startswith('extern "C"')
                or s == "}" or s.startswith("//") or s.startswith("/*")):
            if not s or s.startswith("//") or s.startswith("/*"):
                flush()
            i += 1
            continue
        # A declaration: up to the ';' at brace depth 0.
        text, depth = [], 0
        while i < len(lines):
            text.append(lines[i])
            code = re.sub(r"//.*|/\*.*?\*/", "", lines[i])
            depth += code.count("{") - code.count("}")
            i += 1
            if depth == 0 and code.rstrip().endswith(";"):
                break
        decls.append(classify("\n".join(text)))
    flush()
    return title, banner, [sec for sec in sections if sec[1]]


def prose(lines):
    """Comment text as Markdown: `<` and `*` outside code spans are escaped
    (`#tl.fragment_layout<map, ...>` is not HTML), a line holding code (two
    leading spaces, as in a banner) becomes a code block."""
    out, code = [], False
    for line in lines:
        is_code = line.startswith("  ") and line.strip()
        if is_code and not code:
            out.append("```c")
            code = True
        elif not is_code and code:
            out.append("```")
            code = False
        if code:
            out.append(line[2:])
            continue
        parts = line.split("`")
        for k in range(0, len(parts), 2):
            parts[k] = parts[k].replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_")
        out.append("`".join(parts))
    if code:
        out.append("```")
    return "\n".join(out)


def render(root):
    paths = []
    for pattern in HEADERS:
        paths += glob.glob(os.path.join(root, pattern))
    paths.sort(key=header_key)
    parsed = [(p, parse_header(p)) for p in paths]

    out = []
    w = out.append
    w("# C API reference")
    w("")
    w("<!-- Generated by scripts/gen-capi-docs.py from the headers; do not edit. -->")
    w("")
    w("Every public declaration of `capi/include/tl-c/*.h` (libtl) and")
    w("`runtime/include/tlrt.h` (libtlrt), with its comment from the header, in")
    w("header order. docs/capi.md explains the conventions (ownership, failure")
    w("values, null handles) and has a complete example; examples/embed/ is a")
    w("program that builds against an installed tl.")
    w("")
    w("| header | functions |")
    w("|---|---|")
    for path, (title, _, sections) in parsed:
        inc = include_name(path, root)
        names = [d[1] for sec in sections for e in sec[1] for d in e.decls if d[0] == "function"]
        w("| [`%s`](#%s) | %s |" % (inc, re.sub(r"[^a-z0-9-]", "", inc.lower().replace("/", "").replace(".", "")),
                                    ", ".join("`%s`" % n for n in names)))
    w("")
    for path, (title, banner, sections) in parsed:
        inc = include_name(path, root)
        w("## %s" % inc)
        w("")
        if title:
            w("%s: `#include \"%s\"`" % (title, inc))
            w("")
        body = [t for t in banner]
        while body and not body[-1]:
            body.pop()
        while body and not body[0]:
            body.pop(0)
        if body:
            w(prose(body))
            w("")
        for sec_title, entries in sections:
            if sec_title:
                w("### %s" % sec_title)
                w("")
            for e in entries:
                funcs = [d for d in e.decls if d[0] == "function"]
                types = [d for d in e.decls if d[0] != "function"]
                if not e.decls:
                    w(prose(e.doc))
                    w("")
                    continue
                names = [d[1] for d in e.decls if d[1]]
                w("#### " + ", ".join("`%s`" % n for n in names))
                w("")
                w("```c")
                for d in types:
                    w(d[2])
                for d in funcs:
                    w(d[2])
                w("```")
                w("")
                if e.doc:
                    w(prose(e.doc))
                    w("")
    return "\n".join(out).rstrip("\n") + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=ROOT, help="the tl source tree")
    ap.add_argument("-o", "--output", help="output file ('-': stdout; default docs/capi-reference.md)")
    ap.add_argument("--check", metavar="FILE", help="compare with FILE instead of writing")
    args = ap.parse_args()
    text = render(args.root)
    if args.check:
        old = open(args.check, encoding="utf-8").read()
        if old != text:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True), args.check, "generated"))
            print("%s is out of date: run scripts/gen-capi-docs.py" % args.check, file=sys.stderr)
            return 1
        return 0
    out = args.output or os.path.join(args.root, "docs", "capi-reference.md")
    if out == "-":
        sys.stdout.write(text)
    else:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
