#!/usr/bin/env bash
# Creates the Python virtual environment of the tests (${VENV:-build-venv}) with the build and
# test dependencies from PyPI (scikit-build-core, nanobind, numpy, scikit-learn, pandas, polars,
# pyarrow, pytest); a second run only checks them. Prints nothing on success.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-build-venv}
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
pkgs=(scikit-build-core nanobind numpy scikit-learn pandas polars pyarrow pytest)
"$venv/bin/python" -c "import scikit_build_core, nanobind, numpy, sklearn, pandas, polars, pyarrow, pytest" \
  2>/dev/null || "$venv/bin/pip" install -q --disable-pip-version-check "${pkgs[@]}"
