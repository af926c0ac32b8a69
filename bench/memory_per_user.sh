#!/usr/bin/env bash
# Memory per user of `segmint run` (issue 15): peak RSS (/usr/bin/time -v) on generated users at
# ~90 events each, for two user counts; prints each run's peak, peak / users, the fixed part (the
# binary with its libraries, before any input: `segmint --version`) and the slope between the two
# runs (what one more user costs). Every output is also compared byte for byte across runs with 1
# and 2 threads (the memory work must not change results).
# Usage: bench/memory_per_user.sh [SMALL_USERS] [LARGE_USERS] [WORKDIR]
#        (default 200000 1000000, a temp dir; 1M users is a 12 GB CSV and ~1 min of generation)
set -euo pipefail
small=${1:-200000}
large=${2:-1000000}
work=${3:-$(mktemp -d)}
bin=${SEGMINT:-build/segmint}
mkdir -p "$work"

peak_kb() { # peak_kb LOG -> the "Maximum resident set size" of /usr/bin/time -v
  awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$1"
}

/usr/bin/time -v "$bin" --version >/dev/null 2>"$work/fixed.time"
fixed=$(peak_kb "$work/fixed.time")
echo "fixed (segmint --version): $((fixed / 1024)) MiB"

declare -A peak
for users in "$small" "$large"; do
  data="$work/gen-$users"
  [[ -f "$data/events.csv" ]] || "$bin" generate --users "$users" --seed 1 --out "$data" -q >/dev/null
  events=$(python3 -c "import json; print(json.load(open('$data/generate.json'))['events'])")
  for threads in 2 1; do
    out="$work/run-$users-t$threads"
    OMP_NUM_THREADS=$threads /usr/bin/time -v "$bin" run --events "$data/events.csv" --k 8 \
        --threads "$threads" --out "$out" -q 2>"$out.time" >/dev/null
    [[ $threads == 2 ]] && peak[$users]=$(peak_kb "$out.time")
    [[ $threads == 2 && $users != "$small" ]] && break  # the large input: one run is enough
  done
  for f in assignments.csv centroids.csv model.json; do
    [[ ! -d "$work/run-$users-t1" ]] || cmp -s "$work/run-$users-t1/$f" "$work/run-$users-t2/$f" ||
      { echo "error: $f differs between 1 and 2 threads"; exit 1; }
  done
  kb=${peak[$users]}
  echo "users $users  events $events ($((events / users)) per user)  peak RSS $((kb / 1024)) MiB" \
       " = $((kb * 1024 / users)) bytes per user"
done
slope=$(((peak[$large] - peak[$small]) * 1024 / (large - small)))
echo "slope $small -> $large users: $slope bytes per user;" \
     "10M users would need ~$(((peak[$large] * 1024 + slope * (10000000 - large)) / 1073741824)) GiB"
