#!/usr/bin/env bash
# GPU k-means benchmark run, from the repository root: builds gpu_kmeans_bench if needed, prints
# our table (n = 1M, 10M, 50M; d = 16, 32; k = 8, 16, 64, 256) plus the peers' shapes (d = 128,
# k = 1024, 4096), then the GPU peers (bench/peers_kmeans.py) with ratios to our numbers.
# Environment: BUILD_DIR (default build), OUT (logs; default /tmp/out), SEGMINT_BENCH_QUICK=1
# (n = 1M and 10M only, 3 iterations, three peer shapes; under 5 minutes on an H200: the peers
# and the pipeline table run under time limits). Wheels in .whl/ (flash-kmeans 0.3.1,
# fast-pytorch-kmeans 0.2.2, fastkmeans 0.5.0; fetch them with `pip download --no-deps -d .whl
# flash-kmeans==0.3.1 fast-pytorch-kmeans==0.2.2 fastkmeans==0.5.0` and carry .whl) are
# installed into /tmp/site.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build}
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
bin=$BUILD_DIR/bench/gpu_kmeans_bench
if [[ ! -x $bin ]]; then
  gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
  [[ -f $BUILD_DIR/CMakeCache.txt ]] || cmake -S . -B "$BUILD_DIR" "${gen[@]}" \
    -DCMAKE_BUILD_TYPE=Release -DSEGMINT_CUDA=ON >"$OUT/bench-configure.log" 2>&1 \
    || { tail -20 "$OUT/bench-configure.log"; exit 1; }
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target gpu_kmeans_bench >"$OUT/bench-build.log" 2>&1 \
    || { grep -E 'error' "$OUT/bench-build.log" | head -20; exit 1; }
fi
ns=1000000,10000000,50000000; iters=5
# Quick mode fits in 5 minutes whatever the peers do: the k-means table first (about a minute,
# CPU baseline included), then the peers and the pipeline table under their own time limits.
peers_limit=0; pipe_limit=0
[[ ${SEGMINT_BENCH_QUICK:-0} == 1 ]] && { ns=1000000,10000000; iters=3; peers_limit=150s; pipe_limit=60s; }
limited() { if [[ $1 == 0 ]]; then shift; "$@"; else timeout "$@"; fi; }
echo "== segmint GPU k-means ($(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%FT%TZ))"
cpu_max=10000000  # the CPU backend at n <= 10M: two passes per shape, seconds in all
"$bin" --n "$ns" --d 16,32 --k 8,16,64,256 --iters "$iters" --cpu-max-n "$cpu_max" \
  | tee "$OUT/ours.md"
rc=${PIPESTATUS[0]}
echo "== segmint at the peers' shapes (gemm path)"
"$bin" --n 1000000 --d 128 --k 1024,4096 --iters "$iters" --no-cpu | tee -a "$OUT/ours.md"
if compgen -G ".whl/*.whl" >/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
echo "== GPU peers"
quick=(); [[ ${SEGMINT_BENCH_QUICK:-0} == 1 ]] && quick=(--quick)
PYTHONUNBUFFERED=1 limited "$peers_limit" python3 bench/peers_kmeans.py --iters "$iters" --ours "$OUT/ours.md" "${quick[@]}" \
  | tee "$OUT/peers.md"
# Issue 7: end-to-end device features (store and CSV), its own table.
pbin=$BUILD_DIR/bench/gpu_pipeline_bench
[[ -x $pbin ]] || cmake --build "$BUILD_DIR" -j"$(nproc)" --target gpu_pipeline_bench \
  >>"$OUT/bench-build.log" 2>&1
if [[ -x $pbin ]]; then
  echo "== segmint GPU features pipeline"
  limited "$pipe_limit" "$pbin" | tee "$OUT/pipeline.md"
fi
exit "$rc"
