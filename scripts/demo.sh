#!/usr/bin/env bash
# Installs dependencies, builds, generates the bundled default data set and segments it.
# The segment table (one named segment per planted archetype) is printed at the end; outputs
# land in demo-out/ (demo-out/run/report.html is the page docs/report-demo.png shows).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
bin=${BUILD_DIR:-build}/segmint
mkdir -p demo-out
"$bin" generate --users 20000 --seed 7 --out demo-out/data
"$bin" run --events demo-out/data/events.csv --k 7 --n-init 5 --seed 7 --out demo-out/run --report "$@"
