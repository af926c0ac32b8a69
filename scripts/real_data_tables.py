#!/usr/bin/env python3
"""Prints docs/SEGMENTS_REAL_DATA.md: the segments `segmint run` names on the shared real data sets.

Usage: scripts/real_data_tables.py SEGMINT_BIN DATASETS_DIR > docs/SEGMENTS_REAL_DATA.md
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

SETS = [
    ("Online Retail II (2009-2010)", "online_retail_II_2009-2010.csv.gz", 6,
     "UCI gift wholesaler: purchases and cancellations only (no views, no sessions)."),
    ("REES46 sample", "2019-Oct_head17k.csv", 5,
     "Three hours of a multi-category store: views, carts, a few purchases; too short for recency."),
    ("Taobao sample", "taobao_userbehavior_814users.csv.gz", 4,
     "Nine days of 814 users: views, carts, favourites, buys; no prices, so no monetary value."),
]


def num(x, decimals):
    return f"{x:,.{decimals}f}"


def table(binary, path, k, out):
    subprocess.run([binary, "run", "--events", path, "--k", str(k), "--seed", "1", "--out", out,
                    "--log-format", "json"], check=True, stderr=subprocess.DEVNULL)
    summary = json.load(open(os.path.join(out, "summary.json")))
    rows = list(csv.DictReader(open(os.path.join(out, "centroids.csv"))))
    users = summary["users"]
    lines = ["| id | name | users | share | days since last purchase | orders | net spend | "
             "stands out by (z) |", "|---|---|--:|--:|--:|--:|--:|---|"]
    for seg, row in zip(summary["segments"], rows):
        traits = ", ".join(f"{f} {z:+.1f}" for f, z in seg["traits_z"].items())
        lines.append(f"| {seg['segment']} | **{seg['segment_name']}** | {num(seg['size'], 0)} | "
                     f"{100 * seg['size'] / users:.1f}% | {num(float(row['recency_days']), 1)} | "
                     f"{num(float(row['frequency']), 2)} | {num(float(row['monetary']), 0)} | "
                     f"{traits} |")
    return "\n".join(lines)


def main():
    binary, datasets = sys.argv[1], sys.argv[2]
    print("# Segment names on real data\n")
    print("What `segmint run --k K --seed 1` names on the shared real data sets (see")
    print("[SEGMENTS.md](SEGMENTS.md) for the rules). Regenerate with")
    print("`scripts/real_data_tables.py build/segmint ../shared/datasets > docs/SEGMENTS_REAL_DATA.md`.\n")
    with tempfile.TemporaryDirectory() as tmp:
        for title, name, k, what in SETS:
            path = os.path.join(datasets, name)
            if not os.path.exists(path):
                continue
            print(f"## {title}, k = {k}\n\n{what}\n")
            print(table(binary, path, k, os.path.join(tmp, name)) + "\n")


if __name__ == "__main__":
    main()
