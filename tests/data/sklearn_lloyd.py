#!/usr/bin/env python3
"""Reference Lloyd fit for the agreement tests: scikit-learn KMeans(algorithm="lloyd", n_init=1)
from given initial centroids.

usage: sklearn_lloyd.py MATRIX.csv INIT.csv OUT_DIR [--weights W.csv] [--max-iter N] [--tol T]
  MATRIX.csv  id column, then numeric columns (header)
  INIT.csv    header of feature names, k rows
  W.csv       one weight per line, no header, in matrix row order
writes OUT_DIR/labels.txt (one label per line) and OUT_DIR/result.json
(inertia, n_iter, centroids); also metrics.json with sklearn's silhouette, Davies-Bouldin and
Calinski-Harabasz of the fitted labels when --metrics is given.
"""
import argparse
import json
import os

import numpy as np
from sklearn.cluster import KMeans
from sklearn import metrics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("matrix")
    ap.add_argument("init")
    ap.add_argument("out")
    ap.add_argument("--weights")
    ap.add_argument("--max-iter", type=int, default=300)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--metrics", action="store_true")
    a = ap.parse_args()
    x = np.loadtxt(a.matrix, delimiter=",", skiprows=1, usecols=None, dtype=str)
    x = x[:, 1:].astype(np.float32)
    init = np.loadtxt(a.init, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
    w = np.loadtxt(a.weights, dtype=np.float32) if a.weights else None
    km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=a.max_iter, tol=a.tol,
                algorithm="lloyd")
    km.fit(x, sample_weight=w)
    os.makedirs(a.out, exist_ok=True)
    np.savetxt(os.path.join(a.out, "labels.txt"), km.labels_, fmt="%d")
    with open(os.path.join(a.out, "result.json"), "w") as f:
        json.dump({"inertia": float(km.inertia_), "n_iter": int(km.n_iter_),
                   "centroids": km.cluster_centers_.astype(float).tolist()}, f)
    if a.metrics:
        with open(os.path.join(a.out, "metrics.json"), "w") as f:
            json.dump({"silhouette": float(metrics.silhouette_score(x, km.labels_)),
                       "davies_bouldin": float(metrics.davies_bouldin_score(x, km.labels_)),
                       "calinski_harabasz": float(metrics.calinski_harabasz_score(x, km.labels_))},
                      f)


if __name__ == "__main__":
    main()
