#!/usr/bin/env python3
"""Checks the source-size rules of docs/design.md §10: no C source or header
over 800 lines, no function body over 120 lines.

  scripts/check-size.py [ROOT]    # prints each violation; exit 1 if any

A function is a brace at file scope that follows `name(...)` (comments,
strings and preprocessor lines ignored); its body is counted in lines."""
import os
import re
import sys

MAX_FILE, MAX_FUNC = 800, 120
DIRS = ["dialect", "passes", "capi", "tools", "runtime"]


def strip(text):
    """The text with comments, strings and preprocessor lines blanked
    (newlines kept, so line numbers stay)."""
    def blank(m):
        t = m.group(0)
        if t[0] in "\"'":
            return t[0] * 2
        return "\n" * t.count("\n")
    text = re.sub(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'",
                  blank, text, flags=re.S)
    return re.sub(r"(?m)^[ \t]*#(?:[^\n]*\\\n)*[^\n]*",
                  lambda m: "\n" * m.group(0).count("\n"), text)


def functions(text):
    """(name, first line, body lines) of every function definition."""
    depth, head, start = 0, "", None
    line = headLine = 1
    for ch in strip(text):
        if ch == "\n":
            line += 1
        if depth == 0:
            if ch == "{":
                m = re.search(r"(\w+)\s*\([^;]*\)\s*$", head)
                if m and "=" not in head.split("(")[0]:
                    start = (m.group(1), headLine, line)
                head = ""
            elif ch in ";}":
                head = ""
            else:
                if not head.strip() and not ch.isspace():
                    headLine = line
                head += ch
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and start:
                yield start[0], start[1], line - start[2] - 1
                start = None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    bad = 0
    count = 0
    for d in DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)
                text = open(path, encoding="utf-8").read()
                count += 1
                n = text.count("\n")
                if n > MAX_FILE:
                    print(f"{rel}: {n} lines (more than {MAX_FILE})")
                    bad += 1
                for name, line, body in functions(text):
                    if body > MAX_FUNC:
                        print(f"{rel}:{line}: function {name} has {body} lines (more than {MAX_FUNC})")
                        bad += 1
    print(f"check-size: {count} files, {bad} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
