#!/usr/bin/env python3
"""Times scikit-learn's KMeans(algorithm="lloyd") and segmint's CPU backend (bench/kmeans_cpu_bench)
on the same data from the same initial centroids, in one run, and prints the ratios.

usage: bench/sklearn_compare.py [--bench build/bench/kmeans_cpu_bench] [--n 1000000] [--d 16]
                                [--k 16] [--repeat 3] [--threads 0]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits


def make_data(n, d, k, seed):
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-5, 5, size=(k, d)).astype(np.float32)
    labels = np.arange(n) % k
    x = (centers[labels] + rng.standard_normal((n, d), dtype=np.float32)).astype(np.float32)
    init = x[rng.choice(n, size=k, replace=False)].copy()
    return x, init


def time_sklearn(x, init, max_iter, tol):
    km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=max_iter, tol=tol,
                algorithm="lloyd")
    t0 = time.perf_counter()
    km.fit(x)
    return (time.perf_counter() - t0) * 1e3, km


def run_ours(bench, data_dir, threads):
    env = dict(os.environ, SEGMINT_BENCH_DIR=data_dir)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    out = subprocess.run([bench, "--benchmark_format=json"], env=env, check=True,
                         capture_output=True, text=True).stdout
    return {b["run_name"].split("/")[0]: b for b in json.loads(out)["benchmarks"]}


def best(a, b, key):
    return b if a is None or key(b) < key(a) else a


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=os.path.join(here, "..", "build", "bench",
                                                    "kmeans_cpu_bench"))
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--d", type=int, default=16)
    ap.add_argument("--k", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=0, help="threads for both (0 = all cores)")
    a = ap.parse_args()

    x, init = make_data(a.n, a.d, a.k, a.seed)
    with tempfile.TemporaryDirectory(prefix="segmint-bench-") as tmp:
        x.tofile(os.path.join(tmp, "x.f32"))
        init.tofile(os.path.join(tmp, "init.f32"))
        with open(os.path.join(tmp, "shape.txt"), "w") as f:
            f.write(f"{a.n} {a.d} {a.k}\n")
        # Alternate the two so that load changes on a shared machine hit both alike; keep the
        # best time of each.
        ours, sk_iter, sk_fit = {}, None, None
        limits = threadpool_limits(limits=a.threads) if a.threads else None
        for _ in range(a.repeat):
            for name, row in run_ours(a.bench, tmp, a.threads).items():
                ours[name] = best(ours.get(name), row, lambda r: r["real_time"])
            sk_iter = best(sk_iter, time_sklearn(x, init, 1, 0.0), lambda r: r[0])
            sk_fit = best(sk_fit, time_sklearn(x, init, 300, 1e-4), lambda r: r[0])
        if limits:
            limits.unregister()
    sk_iter, (sk_fit, model) = sk_iter[0], sk_fit

    our_iter = ours["BM_LloydIteration"]
    our_fit = ours["BM_WholeFit"]
    print(f"data: {a.n} x {a.d}, k = {a.k}, same initial centroids; cpus: {os.cpu_count()}; "
          f"ours: {our_fit.get('label', '')}")
    print(f"{'':28}{'sklearn ms':>12}{'segmint ms':>12}{'ratio':>8}")
    print(f"{'one Lloyd iteration':28}{sk_iter:12.1f}{our_iter['real_time']:12.1f}"
          f"{sk_iter / our_iter['real_time']:8.2f}")
    print(f"{'whole fit':28}{sk_fit:12.1f}{our_fit['real_time']:12.1f}"
          f"{sk_fit / our_fit['real_time']:8.2f}")
    it_sk, it_us = model.n_iter_, int(our_fit["lloyd_iterations"])
    print(f"{'whole fit per iteration':28}{sk_fit / it_sk:12.1f}"
          f"{our_fit['real_time'] / it_us:12.1f}{(sk_fit / it_sk) / (our_fit['real_time'] / it_us):8.2f}")
    rel = abs(model.inertia_ - our_fit["inertia"]) / model.inertia_
    print(f"iterations: sklearn {it_sk}, segmint {it_us}; inertia: sklearn {model.inertia_:.6g}, "
          f"segmint {our_fit['inertia']:.6g} (relative difference {rel:.2e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
