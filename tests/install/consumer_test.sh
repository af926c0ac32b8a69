#!/usr/bin/env bash
# Installs the build into a temporary prefix, then configures, builds and runs the consumer in
# tests/install/consumer against it: find_package(segmint) + segmint::core must be enough.
# Usage: consumer_test.sh BUILD_DIR CMAKE_COMMAND [GENERATOR]
set -euo pipefail
build=$1; cmake_bin=$2; gen=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$cmake_bin" --install "$build" --prefix "$work/prefix" >"$work/install.log"
for f in bin/segmint include/segmint/kmeans.hpp share/man/man1/segmint.1; do
  [[ -e $work/prefix/$f ]] || { echo "not installed: $f"; exit 1; }
done
"$work/prefix/bin/segmint" --version
# A build with the Parquet module installs it where the installed CLI finds it: a file that is
# not Parquet then gets Arrow's own complaint, not "could not be loaded".
if [[ -e $build/libsegmint_parquet.so ]]; then
  echo "not parquet" >"$work/bad.parquet"
  if "$work/prefix/bin/segmint" features --events "$work/bad.parquet" --out "$work/f.csv" \
      2>"$work/parquet.err"; then
    echo "a file that is not Parquet was read"; exit 1
  fi
  grep -q "magic bytes" "$work/parquet.err" || { cat "$work/parquet.err"; exit 1; }
fi
args=(-S "$here/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release)
[[ -n $gen ]] && args+=(-G "$gen")
"$cmake_bin" "${args[@]}" >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
"$cmake_bin" --build "$work/build" >"$work/build.log" || { cat "$work/build.log"; exit 1; }
(cd "$work" && "$work/build/consumer")
