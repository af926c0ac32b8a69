#!/usr/bin/env bash
# The MPI exchange: bytes moved and time per 10^8 events for 1..4 ranks, from the "mpi" block of
# summary.json (segmint run under mpirun on a generated REES46-shaped log), scaled linearly from
# the measured input to 10^8 events. Loopback (shared memory) only on one machine: the volumes
# are what scale to a cluster; the times are those of this box.
# Usage: bench/mpi_exchange.sh SEGMINT_BIN [USERS] [DAYS] [RANKS...]   (default 12000 30 1 2 3 4)
set -euo pipefail
bin=$(realpath "$1"); users=${2:-12000}; days=${3:-30}; shift $(( $# < 3 ? $# : 3 ))
ranks=("$@"); ((${#ranks[@]})) || ranks=(1 2 3 4)
work=${WORK:-/tmp/segmint-mpi-bench}
mkdir -p "$work"; cd "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
[[ -f gen-$users-$days/events.csv ]] ||
  "$bin" generate --users "$users" --days "$days" --seed 1 --out "gen-$users-$days" >/dev/null 2>&1
events=gen-$users-$days/events.csv
"$bin" run --events "$events" --k 8 --seed 1 --n-init 1 --out plain 2>/dev/null
for n in "${ranks[@]}"; do
  /usr/bin/time -f "%e %U %S" -o "time-$n.txt" \
    mpirun -np "$n" "$bin" run --events "$events" --k 8 --seed 1 --n-init 1 --out "np$n" 2>/dev/null
  cmp -s plain/assignments.csv "np$n/assignments.csv" || { echo "np$n differs from one process"; exit 1; }
done
python3 - "$events" "${ranks[@]}" <<'PY'
import json, os, sys
events_file, ranks = sys.argv[1], sys.argv[2:]
plain = json.load(open("plain/summary.json"))
ev = plain["events"]
scale = 1e8 / ev
t = plain["timings_ms"]
print(f"input: {ev} events, {plain['users']} users, {os.path.getsize(events_file) / 1e6:.0f} MB CSV")
print(f"one process: read {t['read']:.0f} ms, aggregate {t['aggregate']:.0f} ms, "
      f"features {t['features']:.0f} ms, kmeans {t['kmeans']:.0f} ms ({plain['iterations']} iterations)")
print("| ranks | bytes exchanged | bytes/event | GB per 1e8 events | comm s (max rank) | comm s per 1e8 events | wall s | user+sys s |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in ranks:
    s = json.load(open(f"np{n}/summary.json"))["mpi"]
    wall, user, sys_ = map(float, open(f"time-{n}.txt").read().split())
    b = s["read"]["bytes_exchanged"]  # the read step: the exchange, the order, rows to rank 0
    c = s["read"]["comm_ms_max"] / 1e3
    print(f"| {n} | {b} | {b / ev:.1f} | {b * scale / 1e9:.2f} | {c:.2f} | {c * scale:.0f} | "
          f"{wall:.1f} | {user + sys_:.1f} |")
PY
