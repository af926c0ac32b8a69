#!/usr/bin/env python3
"""Splits an event log into three consecutive slices DIR/night1.csv, night2.csv, night3.csv: three
nightly nights. Without TIME_COLUMN (a generated log, first column the event time) the cut is by
day; with it (a real data set, plain or .gz) the rows are ordered by that column (numbers as
numbers) and cut into thirds. Usage: split_nights.py CSV DIR [TIME_COLUMN]"""
import csv
import gzip
import sys

src, out = sys.argv[1], sys.argv[2]
opener = gzip.open if src.endswith(".gz") else open
rows = list(csv.reader(opener(src, "rt", newline="")))
head, body = rows[0], rows[1:]
parts = [[], [], []]
if len(sys.argv) > 3:
    col = head.index(sys.argv[3])
    key = (lambda r: int(r[col])) if body and body[0][col].isdigit() else (lambda r: r[col])
    body.sort(key=key)  # stable: rows of one time keep their order
    n = len(body)
    parts = [body[: n // 3], body[n // 3 : 2 * n // 3], body[2 * n // 3 :]]
else:
    days = sorted({r[0][:10] for r in body})
    cut = [days[len(days) // 3], days[2 * len(days) // 3]]
    for r in body:
        parts[(r[0][:10] >= cut[0]) + (r[0][:10] >= cut[1])].append(r)
for i, p in enumerate(parts):
    with open(f"{out}/night{i + 1}.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        w.writerows(p)
