#!/usr/bin/env bash
# Builds and installs the segmint Python package into ${VENV:-build-venv} (pip install ., the
# CUDA backend per SEGMINT_CUDA: OFF here unless set, to save build time) and runs its tests
# against the CLI in ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-build-venv}
bash scripts/python_env.sh
SEGMINT_CUDA=${SEGMINT_CUDA:-OFF} "$venv/bin/pip" install -q --disable-pip-version-check \
  --no-build-isolation .
build=${BUILD_DIR:-build}
[[ $build == /* ]] || build=$PWD/$build  # an absolute BUILD_DIR is used as it is
SEGMINT_EXE="$build/segmint" "$venv/bin/python" -m pytest -q tests/python
