#!/usr/bin/env bash
# Seed corpora for the fuzz targets: small files segmint itself writes, plus the first lines of
# the shared real data sets when present (made at run time, never committed).
# Usage: fuzz_seeds.sh SEGMINT_BIN SEEDS_DIR [DATASETS_DIR]
set -euo pipefail
bin=$(realpath "$1"); seeds=$(realpath "$2"); datasets=${3:-}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
q() { "$bin" "$@" --log-format json 2>/dev/null; }
# prefix BYTE FILE OUT: OUT = one selector byte + FILE (targets whose first byte picks a mode).
prefix() { { printf "\\x$(printf %02x "$1")"; cat "$2"; } >"$3"; }

q generate --users 40 --seed 1 --days 6 --out "$tmp/gen" >/dev/null
head -n 300 "$tmp/gen/events.csv" >"$tmp/gen.csv"
# csv_events: mode byte % 6 = schema (0 auto, 1 rees46, 2 online-retail, 3 taobao, 4 retailrocket,
# 5 custom u,t,e,a,s,o,c); bit 3 = skip bad rows.
prefix 0 "$tmp/gen.csv" "$seeds/csv_events/gen-auto"
prefix 9 "$tmp/gen.csv" "$seeds/csv_events/gen-rees46-skip"
gzip -c "$tmp/gen.csv" >"$tmp/gen.csv.gz"
prefix 0 "$tmp/gen.csv.gz" "$seeds/csv_events/gen-gz"
printf 'u,t,e,a,s,o,c\nx,2024-01-01 10:00:00,purchase,9.5,s1,o1,c1\nx,1704103200,cart,,s1,,c2\ny,2024-01-02T11:00:00Z,view,0,,,\n' >"$tmp/custom.csv"
prefix 5 "$tmp/custom.csv" "$seeds/csv_events/custom"
if [[ -n $datasets && -d $datasets ]]; then
  if [[ -f $datasets/online_retail_II_2009-2010.csv.gz ]]; then
    zcat "$datasets/online_retail_II_2009-2010.csv.gz" | head -n 120 >"$tmp/retail.csv" || true
    prefix 2 "$tmp/retail.csv" "$seeds/csv_events/retail"
    prefix 8 "$tmp/retail.csv" "$seeds/csv_events/retail-auto-skip"
  fi
  if [[ -f $datasets/2019-Oct_head17k.csv ]]; then
    head -n 120 "$datasets/2019-Oct_head17k.csv" >"$tmp/rees.csv"
    prefix 1 "$tmp/rees.csv" "$seeds/csv_events/rees46"
  fi
  if [[ -f $datasets/taobao_userbehavior_814users.csv.gz ]]; then
    zcat "$datasets/taobao_userbehavior_814users.csv.gz" | head -n 120 >"$tmp/taobao.csv" || true
    prefix 3 "$tmp/taobao.csv" "$seeds/csv_events/taobao"
  fi
fi

# timestamp: every form the parser reads.
i=0
for t in "2019-10-01 00:00:00 UTC" "2010-12-01 08:26:00" "2010-12-01 08:26" "2010-12-01" \
         "2019-10-01T00:00:00" "2019-10-01T00:00:00.123Z" "2019-10-01T00:00:00+05:30" \
         "2019-10-01 00:00:00-0800" "12/1/2010 8:26" "12/1/2010 8:26:59" "1511544070" \
         "1511544070123" "9999-12-31 23:59:59" "0001-01-01"; do
  printf '%s' "$t" >"$seeds/timestamp/t$((i++))"
done

# store: the generated slice and the custom file converted to the binary store.
q convert --events "$tmp/gen.csv" --out "$seeds/store/gen.sgev" >/dev/null || true
for f in retail rees taobao; do
  [[ -f $tmp/$f.csv ]] && { q convert --events "$tmp/$f.csv" --out "$seeds/store/$f.sgev" >/dev/null || true; }
done

# model, state files, manifest: a run, a cluster and two nightly nights on the slice.
q run --events "$tmp/gen.csv" --k 3 --out "$tmp/run" >/dev/null
cp "$tmp/run/model.json" "$seeds/model/run.json"
q features --events "$tmp/gen.csv" --out "$tmp/features.csv" >/dev/null
q cluster --matrix "$tmp/features.csv" --k 2 --transform none --out "$tmp/cl" >/dev/null || true
[[ -f $tmp/cl/model.json ]] && cp "$tmp/cl/model.json" "$seeds/model/cluster.json"
q nightly --state "$tmp/state" --events "$tmp/gen.csv" --k 3 --device cpu >/dev/null
prefix 0 "$tmp/state/state/table.bin" "$seeds/state_files/table"
prefix 1 "$tmp/state/state/users.bin" "$seeds/state_files/users"
prefix 2 "$tmp/state/state/labels.bin" "$seeds/state_files/labels"
python3 - "$tmp/state/state/manifest.json" "$seeds" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
json.dump(m["model"], open(sys.argv[2] + "/model/nightly-model.json", "w"))
# fuzz_manifest's state files hold their own names as content: give the seed their checksums.
def fp(text):
    h = 14695981039346656037
    for b in text.encode():
        h = ((h ^ b) * 1099511628211) % 2**64
    return f"{len(text)}:{h:016x}"
m["files"] = {f: fp(f) for f in ("labels.bin", "table.bin", "users.bin")}
json.dump(m, open(sys.argv[2] + "/manifest/state.json", "w"))
PY

# matrix: a feature table slice, a small table, a centroid file, a model as --init.
head -n 40 "$tmp/features.csv" >"$seeds/matrix/features.csv"
printf 'id,a,b\nu1,1,2\nu2,-3.5e2,0\n"u,3",1e-3,4\n' >"$seeds/matrix/small.csv"
printf 'segment,segment_name,size,a,b\n0,A,3,1,2\n1,"B, c",4,0.5,-1\n' >"$seeds/matrix/centroids.csv"
