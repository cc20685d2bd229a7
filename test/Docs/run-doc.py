#!/usr/bin/env python3
"""Runs every command of a Markdown document's ```sh blocks as written (a
line starting with "$ "; a trailing backslash continues it) in one bash
session from the repository root, and checks that each output line the
document shows under a command appears in that command's output: the text
around each "..." in order within one output line, blank lines and lines
that are only "..." skipped. Commands that need ptxas (a cubin, --emit=c
without format=ptx) are skipped where ptxas is absent.

usage: run-doc.py DOC.md REPO_ROOT WORKDIR -> "ran N commands, skipped S,
checked L lines" or the first mismatch, exit 1."""
import os
import re
import shutil
import subprocess
import sys


def commands(md):
    """(command, [expected lines]) in document order."""
    out, block, cur = [], False, None
    for line in open(md).read().split("\n"):
        if line.startswith("```"):
            block = line.strip() == "```sh" and not block
            cur = None
            continue
        if not block:
            continue
        if line.startswith("$ "):
            cur = [line[2:], []]
            out.append(cur)
        elif cur is not None and cur[0].endswith("\\") and not cur[1]:
            cur[0] = cur[0][:-1] + " " + line.strip()
        elif cur is not None:
            cur[1].append(line)
    return out


def matches(want, got_lines):
    parts = [p.strip() for p in want.split("...")]
    for g in got_lines:
        pos, ok = 0, True
        for p in parts:
            if not p:
                continue
            i = g.find(p, pos)
            if i < 0:
                ok = False
                break
            pos = i + len(p)
        if ok:
            return True
    return False


def main():
    md, root, work = sys.argv[1:4]
    have_ptxas = shutil.which("ptxas") is not None or os.path.exists("/usr/local/cuda/bin/ptxas")
    env = dict(os.environ)
    env["PATH"] = env.get("PATH", "") + ":/usr/local/cuda/bin"
    os.makedirs(work, exist_ok=True)
    ran = skipped = checked = 0
    for cmd, want in commands(md):
        needs_ptxas = ("--emit=c" in cmd and "format=ptx" not in cmd) or "format=bin" in cmd
        if needs_ptxas and not have_ptxas:
            skipped += 1
            continue
        if cmd.startswith("bash scripts/build.sh") or cmd.startswith("export PATH"):
            skipped += 1  # the test's own tl-opt is on PATH already
            continue
        # Outputs go to WORKDIR; inputs are read from the repository root.
        script = f'cd "{root}" && ' + re.sub(r"(\s-o\s+|--emit-binary=)(?!/dev/null)([\w.]+)",
                                            lambda m: m.group(1) + os.path.join(work, m.group(2)), cmd)
        script = re.sub(r"(\s)(tile_copy\.ptx|t80\.ptx|tile_copy\.h)(\s|$)",
                        lambda m: m.group(1) + os.path.join(work, m.group(2)) + m.group(3), script)
        r = subprocess.run(["bash", "-o", "pipefail", "-c", script], env=env,
                           capture_output=True, text=True)
        ran += 1
        if r.returncode != 0:
            print(f"FAIL: `{cmd}` exited {r.returncode}:\n{r.stderr[-2000:]}")
            return 1
        got = [l.strip() for l in (r.stdout + r.stderr).split("\n")]
        for w in want:
            if not w.strip() or w.strip() == "...":
                continue
            checked += 1
            if not matches(w, got):
                print(f"FAIL: `{cmd}`: the document shows\n  {w.strip()}\nbut the output has no such line")
                return 1
    print(f"ran {ran} commands, skipped {skipped}, checked {checked} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
