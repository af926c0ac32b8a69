#!/usr/bin/env bash
# The CPU peer comparison in one go: builds segmint's benchmarks (Release, CUDA off) into
# build-bench/, installs the peers (scikit-learn, scikit-learn-intelex, faiss-cpu, polars,
# DuckDB, threadpoolctl) into .venv-bench/ with pip, and runs bench/peers_cpu.py, which prints
# the tables for bench/RESULTS.md. Usage: bench/peers_cpu.sh [peers_cpu.py options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ ! -x build-bench/segmint || ! -x build-bench/bench/kmeans_cpu_bench ]]; then
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSEGMINT_CUDA=OFF \
        -DSEGMINT_BUILD_TESTS=OFF -DSEGMINT_BUILD_BENCH=ON
  cmake --build build-bench --target segmint kmeans_cpu_bench machine_floor_bench
fi
if [[ ! -x .venv-bench/bin/python ]]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet --upgrade pip
  .venv-bench/bin/pip install --quiet numpy scikit-learn scikit-learn-intelex faiss-cpu \
      polars duckdb threadpoolctl
fi
exec .venv-bench/bin/python bench/peers_cpu.py --build build-bench "$@"
