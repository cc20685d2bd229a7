#!/usr/bin/env python3
"""Compile-time scaling of tl-to-nvvm (issue 16 item 13): one kernel with
N tiles, each copied global -> shared -> global by two SIMT tl.copy ops
(2N copies, N = 5 .. 5,000: 10 .. 10,000 copies), and one tile inside D nested trip-1 loops (D = 10 .. 1,000; input deeper than
256 brackets is refused, exit 1, by the nesting bound, tl-c/Source.h). Prints, per kernel, the wall time of
`tl-opt --tl-to-nvvm=format=isa` and the three most expensive passes
(--mlir-timing). No GPU needed.

usage: compile_scaling.py [TL_OPT] [--quick]
       compile_scaling.py --emit N   (writes the N-copy kernel to stdout)
"""
import os
import re
import subprocess
import sys
import tempfile
import time

HEAD = '''module attributes {{gpu.container_module}} {{
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {{
    gpu.func @k(%A: memref<{n}xf32>, %B: memref<{n}xf32>)
        workgroup(%S: memref<128xf32, #gpu.address_space<workgroup>>)
        kernel attributes {{known_block_size = array<i32: 128, 1, 1>}} {{
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
'''
# Tile i: A[128 i, +128) -> S -> B[128 i, +128), two tl.copy ops (the
# stores reach global memory, so nothing is dead).
COPY = ('      %o{i} = arith.constant {off} : index\n'
        '      %a{i} = "tl.region"(%A, %o{i}) {{access = 1 : i32, extents = array<i64: 128>}} '
        ': (memref<{n}xf32>, index) -> !tl.buffer_region\n'
        '      "tl.copy"(%a{i}, %S) : (!tl.buffer_region, '
        'memref<128xf32, #gpu.address_space<workgroup>>) -> ()\n'
        '      %b{i} = "tl.region"(%B, %o{i}) {{access = 2 : i32, extents = array<i64: 128>}} '
        ': (memref<{n}xf32>, index) -> !tl.buffer_region\n'
        '      "tl.copy"(%S, %b{i}) : (memref<128xf32, #gpu.address_space<workgroup>>, '
        '!tl.buffer_region) -> ()\n')
TAIL = '      gpu.return\n    }\n  }\n}\n'


def kernel(tiles, nest):
    n = 128 * max(tiles, 1)
    s = HEAD.format(n=n) + "".join(f"      scf.for %i{d} = %c0 to %c1 step %c1 {{\n"
                                   for d in range(nest))
    s += "".join(COPY.format(i=i, off=128 * i, n=n) for i in range(tiles))
    return s + "      }\n" * nest + TAIL


def measure(tlopt, text):
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(text)
    t0 = time.time()
    r = subprocess.run([tlopt, f.name, "--tl-to-nvvm=format=isa", "-o", os.devnull,
                        "--mlir-timing"], capture_output=True, text=True)
    wall = time.time() - t0
    os.unlink(f.name)
    passes = []
    for line in r.stderr.splitlines():
        m = re.match(r"\s*([0-9.]+) \(\s*[0-9.]+%\)\s+(\S.*)$", line)
        if m and "Total" not in m.group(2) and "Pipeline" not in m.group(2):
            passes.append((float(m.group(1)), m.group(2).strip()))
    passes.sort(reverse=True)
    return r.returncode, wall, passes[:3]


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--emit":  # one kernel, for tests
        sys.stdout.write(kernel(int(sys.argv[2]), 0))
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    tlopt = args[0] if args else "build/tools/tl-opt/tl-opt"
    quick = "--quick" in sys.argv
    cases = [("copies", n, 0) for n in ((5, 50, 500) if quick else (5, 50, 500, 2500, 5000))]
    cases += [("nesting", 1, d) for d in (10, 100, 250, 1000)]  # 1000: refused
    print(f"{'kernel':<18} {'rc':>3} {'seconds':>8} {'ms/copy':>8}  top passes")
    for kind, n, d in cases:
        rc, wall, top = measure(tlopt, kernel(n, d))
        name = f"{kind} {2 * n if kind == 'copies' else d}"
        tops = ", ".join(f"{p} {t:.2f}" for t, p in top)
        per = f"{1000 * wall / (2 * n):8.2f}" if kind == "copies" else f"{'-':>8}"
        print(f"{name:<18} {rc:>3} {wall:8.2f} {per}  {tops}")


if __name__ == "__main__":
    main()
