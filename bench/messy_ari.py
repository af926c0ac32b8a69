#!/usr/bin/env python3
"""ARI on typed users (truth.csv archetype != none) of segmint's clustering of generated messy data,
for several option sets, against scikit-learn k-means on the log1p + z-scored feature table.

usage: bench/messy_ari.py --segmint build/segmint --users 20000 [--seed 1] [--jitter 0.3]
         [--untyped-share 0.1] [--heavy-share 0.01] [--work /tmp/messy] [--config NAME=OPTS ...]
Writes one table row per configuration (markdown) on stdout. Needs numpy + scikit-learn.
"""
import argparse
import csv
import os
import shlex
import subprocess

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

CONFIGS = {
    "defaults": "",
    "log1p-zscore": "--transform log1p-zscore --balance none --heavy-fence 0",
    "log1p-zscore+heavy": "--transform log1p-zscore --balance none --heavy-fence 2",
    "log1p-zscore+heavy+groups": "--transform log1p-zscore --balance groups --heavy-fence 2",
    "log1p-robust+heavy": "--transform log1p-robust --balance none --heavy-fence 2",
    "log1p-winsor+heavy": "--transform log1p-winsor --balance none --heavy-fence 2",
    "quantile+heavy": "--transform quantile --balance none --heavy-fence 2",
    "quantile+heavy+groups": "--transform quantile --balance groups --heavy-fence 2",
}


def read_truth(path):
    with open(path) as f:
        return {row["user_id"]: row["archetype"] for row in csv.DictReader(f)}


def typed_ari(ids, labels, truth):
    keep = [i for i, u in enumerate(ids) if truth[u] != "none"]
    names = sorted({truth[ids[i]] for i in keep})
    return adjusted_rand_score([names.index(truth[ids[i]]) for i in keep],
                               [labels[i] for i in keep])


def run_segmint(exe, features, out, k, opts):
    cmd = [exe, "cluster", "--matrix", features, "--out", out, "-k", str(k), "-q",
           "--transform", "log1p-zscore"] + shlex.split(opts)
    subprocess.run(cmd, check=True)
    with open(os.path.join(out, "assignments.csv")) as f:
        rows = list(csv.DictReader(f))
    return [r["user_id"] for r in rows], [int(r["segment"]) for r in rows]


def sklearn_baseline(features, k, seed):
    with open(features) as f:
        rows = list(csv.reader(f))
    ids = [r[0] for r in rows[1:]]
    x = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    x = np.sign(x) * np.log1p(np.abs(x))
    sd = x.std(axis=0)
    x = (x[:, sd > 0] - x[:, sd > 0].mean(axis=0)) / sd[sd > 0]
    return ids, KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segmint", default="build/segmint")
    ap.add_argument("--users", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jitter", default="0.3")
    ap.add_argument("--untyped-share", default="0.1")
    ap.add_argument("--heavy-share", default="0.01")
    ap.add_argument("--work", default="/tmp/segmint-messy")
    ap.add_argument("--config", action="append", default=[], help="NAME=OPTIONS (repeatable)")
    a = ap.parse_args()
    exe = os.path.abspath(a.segmint)
    data = os.path.join(a.work, f"g{a.users}_s{a.seed}_j{a.jitter}_u{a.untyped_share}_h{a.heavy_share}")
    if not os.path.exists(os.path.join(data, "features.csv")):
        subprocess.run([exe, "generate", "--users", str(a.users), "--seed", str(a.seed), "--jitter",
                        a.jitter, "--untyped-share", a.untyped_share, "--heavy-share",
                        a.heavy_share, "--out", data, "-q"], check=True)
        subprocess.run([exe, "features", "--events", os.path.join(data, "events.csv"), "--out",
                        os.path.join(data, "features.csv"), "-q"], check=True)
        os.remove(os.path.join(data, "events.csv"))
    truth = read_truth(os.path.join(data, "truth.csv"))
    k = len({v for v in truth.values() if v != "none"})
    features = os.path.join(data, "features.csv")
    configs = dict(c.split("=", 1) for c in a.config) if a.config else CONFIGS
    print(f"| users {a.users}, jitter {a.jitter}, untyped {a.untyped_share}, heavy "
          f"{a.heavy_share}, seed {a.seed}, k {k} | ARI typed users |")
    print("|---|---|")
    ids, labels = sklearn_baseline(features, k, a.seed)
    print(f"| scikit-learn KMeans, log1p + z-score, n_init 4 | {typed_ari(ids, labels, truth):.3f} |")
    for name, opts in configs.items():
        ids, labels = run_segmint(exe, features, os.path.join(data, "out_" + name), k, opts)
        print(f"| segmint {name} (`{opts}`) | {typed_ari(ids, labels, truth):.3f} |", flush=True)


if __name__ == "__main__":
    main()
