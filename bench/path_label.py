#!/usr/bin/env python3
"""Prints a benchmark row's path label from tl-to-nvvm's report (report=true,
one line per tl op): each op's instruction in program order, joined by '+',
an im2col's prefixed 'im2col:', a pipelined copy's followed by '/<N>st'.
E.g. 'tma_load/3st+tma_store'. The label is what the compiler chose, not
what the case asked for.

usage: path_label.py REPORT"""
import re
import sys


def label(text):
    parts = []
    for line in text.splitlines():
        m = re.search(r": (tl\.[a-z0-9_]+) [a-z]+->[a-z]+ \[[^\]]*\] [^:]*: ([a-z0-9_]+)", line)
        if not m:
            continue
        op, inst = m.groups()
        piece = ("im2col:" if "im2col" in op else "") + inst
        st = re.search(r"pipelined: (\d+) stages", line)
        if st:
            piece += f"/{st.group(1)}st"
        parts.append(piece)
    return "+".join(parts) or "?"


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(label(f.read()))
