#!/usr/bin/env bash
# Installs what segmint needs to build and test on Debian 12 (apt-get; run as root or with sudo).
# Packages already present are left alone, so a second run costs nothing.
set -euo pipefail
# python3-dev (Python.h) and python3-venv: the Python package's build and its test virtualenv;
# chromium, fonts-dejavu-core, python3-websocket: report.html browser tests.
pkgs=(cmake g++ ninja-build pkg-config zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev
      libcxxopts-dev nlohmann-json3-dev libopenmpi-dev openmpi-bin python3 python3-dev
      python3-numpy python3-sklearn python3-venv chromium fonts-dejavu-core python3-websocket
      # sanitizer and fuzz builds (scripts/sanitize.sh, scripts/fuzz.sh): clang 14 with its
      # ASan/UBSan/libFuzzer runtimes and OpenMP; fault tests use prlimit and strace
      clang libclang-rt-14-dev libomp-14-dev util-linux strace)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
