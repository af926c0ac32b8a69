#!/usr/bin/env python3
"""segmint's CPU backend against its peers, in one session, on the same files and threads.

k-means (same float32 data, same initial centroids, tol 0, a fixed number of iterations; each
library's own iteration count is printed): segmint (bench/kmeans_cpu_bench), scikit-learn
(threadpoolctl shows the BLAS), scikit-learn-intelex, faiss-cpu. The floor per iteration is
max(bytes of x / read bandwidth, n*k*d / FMA rate), both measured by bench/machine_floor_bench.
Events -> per-user aggregates: `segmint features` (all 27 features) vs polars and DuckDB (the
aggregates listed in AGG_COLUMNS) on the same CSV, each writing its table as CSV.
Each table's tools run in rounds, one run of each per round (--repeat rounds); a row is the
tool's best round. --iters 300 runs every k-means to its own convergence instead (tol 0: no
label changes; faiss on its own criterion): whole fits, where segmint's bounds skip most work.

Run through bench/peers_cpu.sh (it builds and installs the peers into .venv-bench).
usage: peers_cpu.py --build DIR [--threads 2] [--iters 10] [--repeat 3] [--events CSV]
                    [--users 20000] [--skip-kmeans] [--skip-events]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

SHAPES = [(1_000_000, 16, 16), (1_000_000, 32, 64)]
AGG_COLUMNS = ["views", "carts", "purchases", "monetary", "first_event", "last_event",
               "last_purchase", "sessions", "active_days", "distinct_categories",
               "weekend_events", "night_events"]


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def self_cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn):
    """A run of fn() as (wall s, CPU s of this process and its children, result)."""
    c0, s0, t0 = children_cpu(), self_cpu(), time.perf_counter()
    out = fn()
    wall = time.perf_counter() - t0
    return wall, children_cpu() - c0 + self_cpu() - s0, out


def interleaved(repeat, tools):
    """Runs the tools in rounds (one run of each per round, in order) and yields, per tool, its
    name and its best run (wall, CPU, result) or the exception that stopped it. Rounds, not
    `repeat` runs of one tool then of the next: this box's speed drifts from minute to minute
    (the same binary moved 0.22-0.33 s within ten minutes), and a ratio of best runs taken
    minutes apart carried that drift. tools: (name, prepare); prepare() returns once(), and
    once() returns (wall, CPU, result)."""
    runs, best = {}, {}
    for name, prepare in tools:
        try:
            runs[name] = prepare()
        except Exception as e:  # not importable, or failed to set up: reported, others go on
            best[name] = e
    for _ in range(repeat):
        for name, _ in tools:
            if name not in runs:
                continue
            try:
                r = runs[name]()
            except Exception as e:  # report and keep going
                best[name] = e
                del runs[name]
                continue
            if name not in best or r[0] < best[name][0]:
                best[name] = r
    for name, _ in tools:
        yield name, best[name]


def make_kmeans_data(n, d, k, seed=0):
    """Heavily overlapping blobs, so Lloyd keeps moving for many iterations."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-2, 2, size=(k, d)).astype(np.float32)
    x = centres[rng.integers(0, k, n)] + rng.normal(size=(n, d)).astype(np.float32)
    init = x[rng.choice(n, k, replace=False)].copy()
    return np.ascontiguousarray(x, dtype=np.float32), np.ascontiguousarray(init)


def run_segmint_kmeans(a, x, init, workdir):
    n, d = x.shape
    k = init.shape[0]
    x.tofile(os.path.join(workdir, "x.f32"))
    init.tofile(os.path.join(workdir, "init.f32"))
    with open(os.path.join(workdir, "shape.txt"), "w") as f:
        f.write(f"{n} {d} {k}\n")
    env = dict(os.environ, SEGMINT_BENCH_DIR=workdir, SEGMINT_BENCH_ITERS=str(a.iters),
               OMP_NUM_THREADS=str(a.threads))

    def once():
        out = subprocess.run([os.path.join(a.build, "bench", "kmeans_cpu_bench"),
                              "--benchmark_filter=BM_FixedIterations",
                              "--benchmark_min_time=0.01", "--benchmark_format=json"],
                             env=env, check=True, capture_output=True, text=True).stdout
        b = json.loads(out)["benchmarks"][0]  # times in ms per fit; cpu_time is the process's
        return (b["real_time"] / 1e3, b["cpu_time"] / 1e3,
                (int(b["lloyd_iterations"]), b["inertia"]))
    # Google Benchmark repeats the fit (>= 2 s) and reports the mean; file reading is outside.
    return once


def run_sklearn(a, x, init, module):
    from threadpoolctl import threadpool_limits
    if module == "sklearnex":
        from sklearnex.cluster import KMeans
    else:
        from sklearn.cluster import KMeans
    def fit():
        km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=a.iters, tol=0,
                    algorithm="lloyd")
        km.fit(x)
        return km.n_iter_, km.inertia_

    def once():
        with threadpool_limits(limits=a.threads):
            return timed(fit)
    return once


def run_faiss(a, x, init):
    import faiss
    faiss.omp_set_num_threads(a.threads)
    n, d = x.shape
    k = init.shape[0]

    def fit():
        km = faiss.Kmeans(d, k, niter=a.iters, verbose=False, seed=1,
                          min_points_per_centroid=1, max_points_per_centroid=n)
        km.train(x, init_centroids=init)
        # faiss stops early on its own criterion (22 of 60 passes at 1M x 16, k 16): its
        # iterations are the objective's entries, one a pass, not niter.
        return (len(km.obj) or a.iters), float(km.obj[-1]) if len(km.obj) else float("nan")
    return lambda: timed(fit)


def machine_floor(a):
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads))
    out = subprocess.run([os.path.join(a.build, "bench", "machine_floor_bench")], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def kmeans_section(a, workdir):
    floor = machine_floor(a)
    print(f"machine: {floor['threads']} threads, read {floor['read_gb_per_s']:.2f} GB/s, "
          f"{floor['lane_fma_per_s'] / 1e9:.1f} G float FMA/s ({floor['fma_lanes']}-lane); "
          "products in pairs (0: no such instruction): "
          f"int16 {floor['int16_pair_mac_per_s'] / 1e9:.1f} G/s (AVX2), "
          f"bf16 {floor['bf16_pair_mac_per_s'] / 1e9:.1f} G/s (AVX512-BF16)")
    try:
        from threadpoolctl import threadpool_info
        import sklearn
        print(f"scikit-learn {sklearn.__version__}; BLAS: " + ", ".join(
            f"{i.get('internal_api')} {i.get('version')} ({i.get('threading_layer', '')})"
            for i in threadpool_info() if i.get("user_api") == "blas"))
    except ImportError as e:
        print(f"scikit-learn: not importable ({e.name})")
    print("\nms/iter: wall time of the fit / its iterations; CPU ms/iter: all threads' CPU time")
    print("| n | d | k | library | ms/iter | CPU ms/iter | iterations | inertia | vs segmint | "
          "vs floor |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|")
    for n, d, k in SHAPES:
        x, init = make_kmeans_data(n, d, k)
        floor_ms = 1e3 * max(x.nbytes / (floor["read_gb_per_s"] * 1e9),
                             n * d * k / floor["lane_fma_per_s"])
        rows = [("segmint", lambda: run_segmint_kmeans(a, x, init, workdir)),
                ("scikit-learn", lambda: run_sklearn(a, x, init, "sklearn")),
                ("scikit-learn-intelex", lambda: run_sklearn(a, x, init, "sklearnex")),
                ("faiss-cpu", lambda: run_faiss(a, x, init))]
        ours = None
        for name, best in interleaved(a.repeat, rows):
            if isinstance(best, ImportError):
                print(f"| {n} | {d} | {k} | {name} | not importable ({best.name}) | | | | | |")
                continue
            if isinstance(best, Exception):
                print(f"| {n} | {d} | {k} | {name} | failed: {type(best).__name__}: {best} "
                      "| | | | | |")
                continue
            wall, cpu, (iters, inertia) = best
            ms = 1e3 * wall / max(iters, 1)
            ours = ms if name == "segmint" else ours
            ratio = f"{ms / ours:.2f}x" if ours else "n/a"
            cpu_ms = 1e3 * cpu / max(iters, 1)
            print(f"| {n} | {d} | {k} | {name} | {ms:.2f} | {cpu_ms:.2f} | {iters} | "
                  f"{inertia:.6g} | {ratio} | {ms / floor_ms:.2f}x |")
            sys.stdout.flush()
        print(f"| {n} | {d} | {k} | floor | {floor_ms:.2f} | | | | | 1.00x |")


def run_polars(a, path, out):
    os.environ["POLARS_MAX_THREADS"] = str(a.threads)  # read when polars is first imported
    import polars as pl
    t = pl.col("ts")
    ev = pl.col("event_type")

    def once():
        df = pl.scan_csv(path, schema_overrides={"user_id": pl.Utf8, "category_id": pl.Utf8,
                                                 "price": pl.Float64})
        df = df.with_columns(ts=pl.col("event_time").str.strptime(
            pl.Datetime, "%Y-%m-%d %H:%M:%S UTC"))
        agg = df.group_by("user_id").agg(
            views=(ev == "view").sum(), carts=(ev == "cart").sum(),
            purchases=(ev == "purchase").sum(),
            monetary=pl.when(ev == "purchase").then(pl.col("price")).otherwise(0.0).sum(),
            first_event=t.min(), last_event=t.max(),
            last_purchase=t.filter(ev == "purchase").max(),
            sessions=pl.col("user_session").n_unique(), active_days=t.dt.date().n_unique(),
            distinct_categories=pl.col("category_id").n_unique(),
            weekend_events=(t.dt.weekday() >= 6).sum(), night_events=(t.dt.hour() < 6).sum())
        agg.sort("user_id").collect().write_csv(out)
    return lambda: timed(once)


def run_duckdb(a, path, out):
    import duckdb

    def once():
        con = duckdb.connect()
        con.execute(f"SET threads = {a.threads}")
        con.execute(f"""
            COPY (
              WITH e AS (
                SELECT user_id, event_type, price, user_session, category_id,
                       strptime(event_time, '%Y-%m-%d %H:%M:%S UTC') AS ts
                FROM read_csv('{path}', header = true, all_varchar = true))
              SELECT user_id,
                count(*) FILTER (WHERE event_type = 'view') AS views,
                count(*) FILTER (WHERE event_type = 'cart') AS carts,
                count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
                coalesce(sum(CAST(price AS DOUBLE)) FILTER (WHERE event_type = 'purchase'), 0)
                  AS monetary,
                min(ts) AS first_event, max(ts) AS last_event,
                max(ts) FILTER (WHERE event_type = 'purchase') AS last_purchase,
                count(DISTINCT user_session) AS sessions,
                count(DISTINCT CAST(ts AS DATE)) AS active_days,
                count(DISTINCT category_id) AS distinct_categories,
                count(*) FILTER (WHERE isodow(ts) >= 6) AS weekend_events,
                count(*) FILTER (WHERE hour(ts) < 6) AS night_events
              FROM e GROUP BY user_id ORDER BY user_id)
            TO '{out}' (HEADER, DELIMITER ',')""")
        con.close()
    return lambda: timed(once)


def run_segmint_features(a, path, out):
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads))
    cmd = [os.path.join(a.build, "segmint"), "features", "--events", path, "--out", out]
    return lambda: timed(lambda: subprocess.run(cmd, env=env, check=True, capture_output=True))


def events_section(a, workdir):
    path = a.events
    if not path:
        gen = os.path.join(workdir, "gen")
        subprocess.run([os.path.join(a.build, "segmint"), "generate", "--users", str(a.users),
                        "--seed", "1", "--out", gen], check=True, capture_output=True)
        path = os.path.join(gen, "events.csv")
    mb = os.path.getsize(path) / 1e6
    print(f"\nevents -> per-user aggregates: {path} ({mb:.0f} MB), {a.threads} threads; "
          f"polars and DuckDB compute {len(AGG_COLUMNS)} aggregates ({', '.join(AGG_COLUMNS)}), "
          "segmint all 27 features")
    print("| tool | wall s | CPU s | MB/s (wall) | MB per CPU-second | vs segmint |")
    print("|---|---:|---:|---:|---:|---:|")
    ours = None
    tools = [(name, lambda fn=fn, name=name: fn(a, path, os.path.join(
                 workdir, f"{name.split()[0]}.csv")))
             for name, fn in [("segmint features", run_segmint_features),
                              ("polars", run_polars), ("DuckDB", run_duckdb)]]
    for name, best in interleaved(a.repeat, tools):
        if isinstance(best, ImportError):
            print(f"| {name} | not importable ({best.name}) | | | | |")
            continue
        if isinstance(best, Exception):
            print(f"| {name} | failed: {type(best).__name__}: {best} | | | | |")
            continue
        wall, cpu, _ = best
        ours = wall if name.startswith("segmint") else ours
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {mb / wall:.0f} | {mb / cpu:.0f} | "
              f"{wall / ours:.2f}x |")
        sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True, help="build directory with segmint and bench/")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--events", help="events CSV (default: segmint generate --users N)")
    ap.add_argument("--users", type=int, default=20000)
    ap.add_argument("--skip-kmeans", action="store_true")
    ap.add_argument("--skip-events", action="store_true")
    a = ap.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"date {time.strftime('%Y-%m-%d %H:%M')}, commit {commit}, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="segmint-peers-") as workdir:
        if not a.skip_kmeans:
            kmeans_section(a, workdir)
        if not a.skip_events:
            events_section(a, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
