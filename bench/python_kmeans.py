#!/usr/bin/env python3
"""segmint.KMeans vs sklearn.cluster.KMeans (lloyd) vs faiss.Kmeans (faiss-cpu) from the same
initial centroids, with the same thread count, in one run: wall and CPU seconds of the whole fit
and per Lloyd iteration. Every peer gets float32 C-ordered data (no conversion inside the timing).

usage: python bench/python_kmeans.py [--threads 2] [--iters 20] [--quick] [--out results.md]
Run it in the test virtualenv plus `pip install faiss-cpu threadpoolctl`. On machines where
OPENBLAS_CORETYPE is set (see the workplace notes), unset it for this command: it slows numpy.
"""
import argparse
import os
import sys
import time

import numpy as np

SHAPES = [(1_000_000, 16, 16), (1_000_000, 32, 64)]


def blobs(n, d, seed=0):
    """64 random centres with unit noise: float32, C order."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, size=(64, d)).astype(np.float32)
    x = centres[rng.integers(0, 64, n)] + rng.standard_normal((n, d), dtype=np.float32)
    return np.ascontiguousarray(x, dtype=np.float32)


def timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def run_segmint(x, init, iters, threads):
    import segmint

    km = segmint.KMeans(len(init), init=init, max_iter=iters, tol=0.0, device="cpu",
                        n_threads=threads)
    wall, cpu, _ = timed(lambda: km.fit(x))
    return wall, cpu, km.n_iter_, km.inertia_


def run_sklearn(x, init, iters, threads):
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    km = KMeans(len(init), init=init, n_init=1, max_iter=iters, tol=0.0, algorithm="lloyd")
    with threadpool_limits(limits=threads):
        wall, cpu, _ = timed(lambda: km.fit(x))
    return wall, cpu, km.n_iter_, km.inertia_


def run_faiss(x, init, iters, threads):
    import faiss

    faiss.omp_set_num_threads(threads)
    k, d = init.shape
    # max_points_per_centroid: no subsampling, every row in every iteration (as the others).
    km = faiss.Kmeans(d, k, niter=iters, seed=0, max_points_per_centroid=len(x) // k + 1,
                      verbose=False)
    wall, cpu, _ = timed(lambda: km.train(x, init_centroids=init.copy()))
    dist, _ = km.index.search(x, 1)
    return wall, cpu, iters, float(dist.astype(np.float64).sum())


PEERS = [("segmint", run_segmint), ("scikit-learn", run_sklearn), ("faiss-cpu", run_faiss)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="100k rows instead of 1M")
    ap.add_argument("--out", help="also write the table to this file")
    a = ap.parse_args()
    lines = [f"threads={a.threads}, at most {a.iters} Lloyd iterations (tol=0), float32, the same "
             "initial centroids (k rows drawn from the data)", "",
             "| n x d, k | library | wall s | CPU s | iterations | wall ms/iter | CPU ms/iter "
             "| inertia | wall vs segmint |", "|---|---|---|---|---|---|---|---|---|"]
    for n, d, k in SHAPES:
        n = n // 10 if a.quick else n
        x = blobs(n, d)
        init = np.ascontiguousarray(x[np.random.default_rng(1).choice(n, k, replace=False)])
        base = None
        for name, fn in PEERS:
            try:
                wall, cpu, it, inertia = fn(x, init, a.iters, a.threads)
            except Exception as e:  # a missing peer is reported, not fatal
                lines.append(f"| {n:,}x{d}, {k} | {name} | skipped: {type(e).__name__}: {e} |")
                continue
            base = base or wall
            lines.append(f"| {n:,}x{d}, {k} | {name} | {wall:.2f} | {cpu:.2f} | {it} | "
                         f"{1e3 * wall / it:.1f} | {1e3 * cpu / it:.1f} | {inertia:.6g} | "
                         f"{wall / base:.2f}x |")
            print(lines[-1], file=sys.stderr, flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
