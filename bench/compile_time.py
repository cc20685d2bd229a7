#!/usr/bin/env python3
"""Compile time of tl-to-nvvm per example and stage on this CPU, median of 5
runs: tl passes, upstream lowering to NVVM/LLVM, serialization (LLVM to PTX,
plus ptxas for cubins), and the whole tl-opt process. Prints a Markdown
table. usage: compile_time.py TL_OPT EXAMPLE.mlir..."""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROW = re.compile(r"^\s*([0-9.]+) \(\s*[0-9.]+%\)( +)(.*)$")


def stages(report):
    """Sums the top-level rows of a --mlir-timing report by stage; a nested
    'gpu.module' Pipeline counts for tl when its children are tl passes."""
    tl = up = ser = 0.0
    pending = None
    for line in report.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        t, depth, name = float(m.group(1)) * 1000, (len(m.group(2)) - 2) // 2, m.group(3)
        if depth == 0:
            if pending is not None:
                up += pending
                pending = None
            if name.startswith("(A)") or name in ("Total", "Rest"):
                continue
            if "GpuModuleToBinaryPass" in name:
                ser += t
            elif name.startswith("tl-"):
                tl += t
            elif "Pipeline" in name:
                pending = t
            else:
                up += t
        elif depth == 1 and pending is not None:
            if name.startswith("tl-"):
                tl += pending
            else:
                up += pending
            pending = None
    if pending is not None:
        up += pending
    return tl, up, ser


def main():
    tlopt, examples = sys.argv[1], sys.argv[2:]
    env = dict(os.environ, PATH=os.environ["PATH"] + ":/usr/local/cuda/bin")
    formats = ["ptx"] + (["bin"] if shutil.which("ptxas", path=env["PATH"]) else [])
    print("| example | format | tl passes (ms) | upstream lowering (ms) | serialization (ms) | whole tl-opt run (ms) |")
    print("|---|---|---|---|---|---|")
    for ex in examples:
        for fmt in formats:
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                r = subprocess.run([tlopt, ex, f"--tl-to-nvvm=format={fmt}", "--mlir-timing", "-o", os.devnull],
                                   capture_output=True, text=True, env=env, check=True)
                total = (time.perf_counter() - start) * 1000
                runs.append(stages(r.stderr) + (total,))
            med = [statistics.median(x[i] for x in runs) for i in range(4)]
            name = os.path.basename(ex)[:-5]
            print(f"| {name} | {fmt} | {med[0]:.1f} | {med[1]:.1f} | {med[2]:.1f} | {med[3]:.1f} |")


if __name__ == "__main__":
    main()
