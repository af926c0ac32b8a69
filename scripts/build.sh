#!/usr/bin/env bash
# Configures and builds segmint into ${BUILD_DIR:-build} (Release). Extra args go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
[[ -f $build/CMakeCache.txt ]] || cmake -S . -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release "$@" >&2
cmake --build "$build" -j"$(nproc)" >&2
