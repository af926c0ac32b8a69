#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (GPU tests skip without a device), the
# Python package's too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/python_env.sh  # pyarrow's Arrow C++ gives the CLI Parquet input
bash scripts/build.sh -DSEGMINT_PYARROW_PYTHON="$PWD/${VENV:-build-venv}/bin/python"
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)" --timeout 900
bash scripts/test_python.sh
