#!/usr/bin/env python3
"""Splits a generated event log (first column the event time) by day into three consecutive
slices DIR/night1.csv, night2.csv, night3.csv: three nightly nights. Usage: split_nights.py CSV DIR"""
import csv
import sys

src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src, newline="")))
head, body = rows[0], rows[1:]
days = sorted({r[0][:10] for r in body})
cut = [days[len(days) // 3], days[2 * len(days) // 3]]
parts = [[], [], []]
for r in body:
    parts[(r[0][:10] >= cut[0]) + (r[0][:10] >= cut[1])].append(r)
for i, p in enumerate(parts):
    with open(f"{out}/night{i + 1}.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        w.writerows(p)
