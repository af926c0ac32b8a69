#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer build (clang, CUDA off, -fno-sanitize-recover)
# of segmint and its unit and CLI tests, then runs them; any report fails the run.
# Usage: scripts/sanitize.sh [--configure-only] [extra ctest arguments]
# Build dir: ${SAN_BUILD_DIR:-build-san} (scripts/fuzz.sh builds its fuzz targets there too).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SAN_BUILD_DIR:-build-san}
if [[ ! -f $build/CMakeCache.txt ]]; then
  extra=()
  command -v ccache >/dev/null && extra+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  command -v ninja >/dev/null && extra+=(-G Ninja)
  cmake -S . -B "$build" "${extra[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DSEGMINT_CUDA=OFF -DSEGMINT_BUILD_BENCH=OFF \
    -DSEGMINT_SANITIZE=address,undefined -DSEGMINT_FUZZ=ON >&2
fi
if [[ ${1:-} == --configure-only ]]; then exit 0; fi
cmake --build "$build" -j"$(nproc)" --target segmint segmint_unit_tests segmint_cli_tests >&2
# One suppression, written down in tests/sanitize/lsan.supp: the OpenMP runtime's own per-thread
# allocations, which libomp never frees before exit.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitize/lsan.supp:print_suppressions=0}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Install.FindPackageConsumer is left out: it builds a consumer of the installed (here
# sanitized) libraries with a plain compiler, which cannot link the sanitizer runtime; the
# plain build's ctest runs it.
ctest --test-dir "$build" -L 'unit|cli' -E '^Install\.FindPackageConsumer$' --output-on-failure \
  -j"$(nproc)" --timeout 900 "$@"
