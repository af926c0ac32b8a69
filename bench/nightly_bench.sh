#!/usr/bin/env bash
# Times one incremental nightly run (one new day ~ 5% of history) against a --full rebuild over
# the same data. Usage: bench/nightly_bench.sh [USERS] [WORKDIR]   (default 1000000, a temp dir)
# Prints one line per measurement and the ratio; SEGMINT (default build/segmint) picks the binary.
set -euo pipefail
users=${1:-1000000}
work=${2:-$(mktemp -d)}
bin=${SEGMINT:-build/segmint}
k=${K:-7}
mkdir -p "$work"

# 21 days of generated events: the first 20 are history, the 21st is "last night's export".
"$bin" generate --users "$users" --days 21 --seed 7 --out "$work/data" >/dev/null
awk -F, -v dir="$work/data" '
  NR == 1 { header = $0; next }
  { day = substr($1, 1, 10); f = dir "/day-" day ".csv"
    if (!(f in seen)) { seen[f] = 1; print header > f }
    print >> f }' "$work/data/events.csv"
days=($(ls "$work"/data/day-*.csv | sort))
last=${days[-1]}
history=$(IFS=,; echo "${days[*]:0:${#days[@]}-1}")
all=$(IFS=,; echo "${days[*]}")
hist_bytes=$(cat "${days[@]:0:${#days[@]}-1}" | wc -c)
new_bytes=$(wc -c <"$last")
echo "users $users  history $(( hist_bytes / 1048576 )) MiB  new day $(( new_bytes / 1048576 )) MiB ($(( 100 * new_bytes / hist_bytes ))% of history)"

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err"; exit 1; }; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

# Night N-1 builds the state from the history (not timed), night N merges the new day.
"$bin" nightly --state "$work/inc" --events "$history" --schema rees46 --k "$k" --seed 7 >/dev/null 2>&1
inc=$(seconds "$bin" nightly --state "$work/inc" --events "$last" --schema rees46 --k "$k" --seed 7)
full=$(seconds "$bin" nightly --state "$work/full" --full --events "$all" --schema rees46 --k "$k" --seed 7)
echo "incremental night: ${inc} s"
echo "full rebuild:      ${full} s"
echo "full / incremental: $(echo "scale=2; $full / $inc" | bc)"
