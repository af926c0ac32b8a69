#!/usr/bin/env python3
"""Checks that no exception can escape an OpenMP region (docs/GUARANTEES.md): every
'#pragma omp parallel' under host/ and kernels/ (host code) either runs its body through an
OmpGuard (common/omp_guard.hpp: 'guard.run(' inside the region, 'OmpGuard' declared before it)
or is marked, on the comment line just above the pragma, as one that cannot throw
('// omp: cannot throw (...)'). Usage: check_omp_regions.py [REPO_ROOT]; exit 1 and one line
per unmarked region."""
import os
import re
import sys

PRAGMA = re.compile(r'^\s*#\s*pragma\s+omp\s+parallel\b')


def problems_in(path, rel):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    out = []
    for i, line in enumerate(lines):
        if not PRAGMA.match(line):
            continue
        above = lines[max(0, i - 3):i]
        marked = any("omp: cannot throw" in a for a in above)
        guarded = any("OmpGuard" in a for a in lines[max(0, i - 12):i]) and any(
            "guard.run(" in b for b in lines[i:i + 40])
        if not (marked or guarded):
            out.append(f"{rel}:{i + 1}: OpenMP region neither guarded (OmpGuard) nor marked "
                       "'// omp: cannot throw (...)'")
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    problems = []
    for top in ("host", "kernels"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if name.endswith((".cpp", ".hpp", ".h", ".cc")):
                    path = os.path.join(dirpath, name)
                    problems += problems_in(path, os.path.relpath(path, root))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
