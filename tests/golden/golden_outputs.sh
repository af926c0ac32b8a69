#!/usr/bin/env bash
# Runs every output-writing command (run, cluster, features, sweep, assign, three nightly nights)
# on generated data and on the shared real data sets (when present), then prints one line
# "<scenario>/<file> <sha256>" per output file, sorted. JSON files are normalised first: the
# wall-clock timings, the device description (it names the thread count) and why auto fell back
# to the CPU (it depends on the build and the driver: a CUDA-off build and a CUDA build without a
# GPU give different reasons) are dropped.
# Usage: golden_outputs.sh SEGMINT_BIN WORKDIR [SHARED_DATASETS_DIR]
# tests/golden/expected.sha256 holds the digests the reference commit produced (see README there);
# tests/cli/golden_outputs_test.cpp compares.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "$1"); work=$2; shared=${3:+$(realpath -m "$3")}
rm -rf "$work"; mkdir -p "$work"; cd "$work"
q() { "$bin" "$@" --log-format json 2>>log.txt; }

# --- generated data: always ---------------------------------------------------------------------
q generate --users 3000 --seed 7 --days 30 --out gen >/dev/null
for t in 1 2; do
  q run --events gen/events.csv --k 7 --n-init 2 --seed 7 --threads "$t" --out "run-gen-t$t"
done
q features --events gen/events.csv --out features-gen.csv
q cluster --matrix features-gen.csv --k 5 --seed 3 --n-init 2 --out cluster-gen
q cluster --matrix features-gen.csv --k 4 --transform none --init k-means\|\| --seed 5 --out cluster-gen-none
# k 64 on 27 features: the shape the bf16 screen is picked for (AVX512-BF16 CPUs)
q cluster --matrix features-gen.csv --k 64 --seed 9 --n-init 1 --out cluster-gen-k64
q run --events gen/events.csv --k 6 --init random --seed 11 --n-init 1 --weight-by monetary --out run-gen-weighted
q sweep --matrix features-gen.csv --k 2..5 --seed 1 --json > sweep-matrix.json
q sweep --events gen/events.csv --k 3..5 --seed 1 --json > sweep-events.json
q assign --model run-gen-t1/model.json --events gen/events.csv --out assign-gen.csv
# Three nights: the generated log split by day into three consecutive slices.
python3 "$here/../data/split_nights.py" gen/events.csv gen
for n in 1 2 3; do
  q nightly --state nightly --events "gen/night$n.csv" --k 6 --seed 2
  mkdir -p "night$n"
  cp nightly/latest/{assignments.csv,centroids.csv,model.json,summary.json,migrations.csv} "night$n/"
done

# --- real data sets, when present ---------------------------------------------------------------
# Read through a link in the work directory: outputs that name their inputs (sweep's "events") must
# not carry the machine's absolute path to the data sets.
if [[ -n $shared && -d $shared ]]; then
  ln -s "$shared" shared-data
  retail=shared-data/online_retail_II_2009-2010.csv.gz
  rees=shared-data/2019-Oct_head17k.csv
  taobao=shared-data/taobao_userbehavior_814users.csv.gz
  if [[ -f $retail ]]; then
    q run --events "$retail" --k 6 --seed 1 --out run-retail
    q features --events "$retail" --out features-retail.csv
    q cluster --matrix features-retail.csv --k 5 --seed 1 --out cluster-retail
    q assign --model run-retail/model.json --events "$retail" --out assign-retail.csv
  fi
  if [[ -f $rees ]]; then
    q run --events "$rees" --k 5 --seed 1 --out run-rees
    q features --events "$rees" --out features-rees.csv
  fi
  if [[ -f $taobao ]]; then
    q run --events "$taobao" --k 4 --seed 1 --out run-taobao
    q features --events "$taobao" --out features-taobao.csv
    q sweep --events "$taobao" --k 2..4 --seed 1 --json > sweep-taobao.json
  fi
fi

# --- digests ------------------------------------------------------------------------------------
python3 - <<'PY'
import hashlib, json, os
def norm(o):
    if isinstance(o, dict):
        return {k: norm(v) for k, v in o.items()
                if k not in ("timings_ms", "device_detail", "device_fallback_reason")}
    if isinstance(o, list):
        return [norm(v) for v in o]
    return o
lines = []
for root, dirs, files in os.walk("."):
    # Hidden dirs hold run generations (.segmint/run-<pid>-<ns>): their names vary; the
    # outputs are read through the fixed links beside them.
    dirs[:] = [d for d in dirs if d not in ("gen", "nightly", "shared-data") and not d.startswith(".")]
    for f in files:
        if f == "log.txt":
            continue
        p = os.path.join(root, f)[2:]
        data = open(p, "rb").read()
        if f.endswith(".json"):
            data = json.dumps(norm(json.loads(data)), sort_keys=True).encode()
        name = p.replace("run-gen-t2/", "run-gen-t1/")  # both thread counts must give the same bytes
        lines.append(f"{name} {hashlib.sha256(data).hexdigest()}")
print("\n".join(sorted(set(lines))))
PY
