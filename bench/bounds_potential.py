#!/usr/bin/env python3
"""How many rows could bounds prove in each Lloyd pass? A design tool, not a benchmark.

Runs plain Lloyd (float64, numpy) on the files kmeans_cpu_bench reads (SEGMINT_BENCH_DIR layout:
x.f32, init.f32, shape.txt "n d k") and prints, pass by pass, the share of labels that changed
and the share of rows whose label a lower-bound test proves without a screen:
  hamerly  one lower bound per row (its second-nearest distance last pass, less the largest
           movement of the other centroids) against the upper bound (its distance last pass plus
           its centroid's movement): the rule kmeans/bounds.hpp uses.
  J<n>     the same row's per-centroid bounds (second-nearest distance less that centroid's own
           movement), tightened by the exact distance to its own centroid, with the centroids
           whose bound fails (at most n of them) checked by an exact distance each.
  elkan    k lower bounds per row (each centroid's distance last pass, less its own
           movement: Elkan's), against the upper bound: no distance at all.
  elkan+d  the same bounds against the exact distance to the row's own centroid (one distance).
Idealised on purpose: every row's bounds are refreshed from exact distances every pass, which
the engine cannot afford (a proven row keeps its stale bounds), so these shares are upper
limits of what each rule can prove, not predictions of a pass's time.

usage: bounds_potential.py DIR [--passes 10] [--rows N] (numpy: .venv-bench/bin/python)
"""
import argparse
import os

import numpy as np


def distances(x, xx, c):
    """Euclidean distances of every row to every centroid (float64)."""
    d2 = xx[:, None] - 2.0 * (x @ c.T) + (c * c).sum(1)[None, :]
    return np.sqrt(np.maximum(d2, 0.0))


def proven_shares(dist, prev, upper, lower, move, budgets, last):
    """Shares of rows proven by Hamerly's test, by per-centroid bounds with exact checks and by
    Elkan's k bounds a row (last: every distance of the previous pass)."""
    rows = np.arange(len(prev))
    # The largest movement of the centroids other than a row's own (kmeans/bounds.cpp's rule):
    # the largest one, or the second largest for the centroid that made it.
    top = int(np.argmax(move))
    second = np.max(np.delete(move, top), initial=0.0)
    others = np.where(prev == top, second, move[top])
    hamerly = upper + move[prev] < lower - others
    own = dist[rows, prev]  # exact distance to the row's own (moved) centroid
    per_centroid = lower[:, None] - move[None, :]
    per_centroid[rows, prev] = np.inf
    failing = per_centroid <= own[:, None]
    count = failing.sum(1)
    beaten = np.any(failing & (dist <= own[:, None]), axis=1)
    elkan = last - move[None, :]
    elkan[rows, prev] = np.inf
    nearest_other = elkan.min(1)
    out = {"hamerly": hamerly.mean(), "elkan": (upper + move[prev] <= nearest_other).mean(),
           "elkan+d": (own <= nearest_other).mean()}
    for j in budgets:
        out[f"J{j}"] = ((count <= j) & ~beaten).mean()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--passes", type=int, default=10)
    ap.add_argument("--rows", type=int, default=0, help="the first N rows only (0: all)")
    a = ap.parse_args()
    n, d, k = map(int, open(os.path.join(a.dir, "shape.txt")).read().split())
    x = np.fromfile(os.path.join(a.dir, "x.f32"), dtype=np.float32).reshape(n, d)
    if a.rows:
        x = x[: a.rows]
    x = x.astype(np.float64)
    c = np.fromfile(os.path.join(a.dir, "init.f32"), dtype=np.float32).reshape(k, d)
    c = c.astype(np.float64)
    xx = (x * x).sum(1)
    budgets = (1, 2, 4, 8)
    print(f"# {len(x)} rows, d {d}, k {k}")
    rules = " | ".join(f"J{j}" for j in budgets)
    print(f"| pass | changed | largest move | hamerly | {rules} | elkan | elkan+d |")
    print("|---:" * (6 + len(budgets)) + "|")
    prev = upper = lower = move = last = None
    for p in range(1, a.passes + 1):
        dist = distances(x, xx, c)
        labels = dist.argmin(1)
        if prev is not None:
            s = proven_shares(dist, prev, upper, lower, move, budgets, last)
            cells = " | ".join(f"{s[f'J{j}']:.3f}" for j in budgets)
            print(f"| {p} | {(labels != prev).mean():.4f} | {move.max():.3f} | "
                  f"{s['hamerly']:.3f} | {cells} | {s['elkan']:.3f} | {s['elkan+d']:.3f} |")
        nearest = np.partition(dist, 1, axis=1)
        upper, lower, prev, last = nearest[:, 0].copy(), nearest[:, 1].copy(), labels, dist
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(c)
        np.add.at(sums, labels, x)
        moved = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], c)
        move = np.sqrt(((moved - c) ** 2).sum(1))
        c = moved


if __name__ == "__main__":
    main()
