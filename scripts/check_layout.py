#!/usr/bin/env python3
"""Checks the stage layout of host/ (docs/ARCHITECTURE.md): no file loose at host/ root, no
folder outside the known stages, no include that runs from an early stage to a later one, and
public headers that include only public headers. Usage: check_layout.py [REPO_ROOT]; exit 1 and
one line per violation when the layout is broken."""
import os
import re
import sys

# Flow order: a folder may include itself and folders listed before it, never one after it.
ORDER = ["core", "common", "store", "ingest", "generate", "aggregate", "features", "kmeans",
         "cuda_plan", "backends", "profile", "outputs", "pipeline", "report", "nightly", "dist",
         "cli"]
RANK = {name: i for i, name in enumerate(ORDER)}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def host_problems(host):
    problems = []
    for entry in sorted(os.listdir(host)):
        path = os.path.join(host, entry)
        if os.path.isfile(path):
            problems.append(f"host/{entry}: a file loose at host/ root (put it in its stage)")
        elif entry not in RANK:
            problems.append(f"host/{entry}/: not a known stage folder ({', '.join(ORDER)})")
    for stage in sorted(s for s in os.listdir(host) if s in RANK):
        for root, _, files in os.walk(os.path.join(host, stage)):
            for f in sorted(files):
                path = os.path.join(root, f)
                rel = os.path.relpath(path, os.path.dirname(host))
                with open(path, encoding="utf-8", errors="replace") as src:
                    for inc in INCLUDE.findall(src.read()):
                        target = inc.split("/", 1)[0]
                        if target in RANK and RANK[target] > RANK[stage]:
                            problems.append(f"{rel}: includes \"{inc}\" ({target} comes after "
                                            f"{stage} in the flow)")
    return problems


def public_problems(include_dir):
    problems = []
    for root, _, files in os.walk(include_dir):
        for f in sorted(files):
            path = os.path.join(root, f)
            with open(path, encoding="utf-8", errors="replace") as src:
                for inc in INCLUDE.findall(src.read()):
                    if not inc.startswith("segmint/"):
                        rel = os.path.relpath(path, os.path.dirname(include_dir))
                        problems.append(f"{rel}: public header includes \"{inc}\"")
    return problems


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))
    problems = host_problems(os.path.join(repo, "host"))
    problems += public_problems(os.path.join(repo, "include"))
    for p in problems:
        print(p)
    if problems:
        return 1
    print("layout ok: no loose host/ files, no backward includes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
