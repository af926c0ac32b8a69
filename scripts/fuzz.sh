#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan; tests/fuzz), seeds their corpora from files
# segmint generates and from slices of the shared data sets when present (never committed), and
# runs each target for a bounded time. Fails on the first crash, sanitizer report, leak or hang.
# Usage: scripts/fuzz.sh [--seconds N per target (20)] [--targets "csv_events model ..."]
#                        [--record FILE (append a table of executions and findings)]
# Build dir: ${SAN_BUILD_DIR:-build-san} (shared with scripts/sanitize.sh); corpora and crash
# artifacts under it in fuzz/. Data sets: ${SEGMINT_DATASETS:-../shared/datasets}.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=20
targets="csv_events timestamp store state_files model manifest matrix"
record=""
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --record) record=$2; shift 2 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
build=${SAN_BUILD_DIR:-build-san}
datasets=${SEGMINT_DATASETS:-../shared/datasets}
bash scripts/sanitize.sh --configure-only
cmake --build "$build" -j"$(nproc)" --target fuzz_targets segmint >&2

work=$build/fuzz
seeds=$work/seeds
rm -rf "$seeds"
mkdir -p "$seeds" "$work/artifacts"
for t in $targets; do mkdir -p "$seeds/$t" "$work/corpus/$t"; done
bash scripts/fuzz_seeds.sh "$build/segmint" "$seeds" "$datasets" >&2

export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitize/lsan.supp:print_suppressions=0}  # libomp only
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
summary=""
for t in $targets; do
  log=$work/$t.log
  found=none
  echo "fuzz: $t for ${seconds}s" >&2
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: a runaway allocation is a finding.
  if ! "$build/tests/fuzz/fuzz_$t" "$work/corpus/$t" "$seeds/$t" -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/$t-" >"$log" 2>&1; then
    status=1
    found="crash (see $log)"
    echo "fuzz: $t FAILED; its log ends with:" >&2
    tail -n 40 "$log" >&2
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  corpus=$(find "$work/corpus/$t" -type f | wc -l)
  summary+="| $t | ${seconds} | ${execs:-?} | $corpus | $found |"$'\n'
done
table="| target | seconds | executions | corpus files | findings |"$'\n'"|---|---|---|---|---|"$'\n'"$summary"
echo "$table" >&2
if [[ -n $record ]]; then
  { echo "fuzz run $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD):"; echo; echo "$table"; } >>"$record"
fi
exit $status
