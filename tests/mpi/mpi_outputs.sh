#!/usr/bin/env bash
# Multi-rank runs give one process's bytes: run, features, cluster, sweep, assign and three
# nightly nights under `mpirun -np 1|2|3` against the plain run, on generated data and on the
# shared real data sets (when present: run, features, cluster, and three nights of two of them);
# a rank killed mid-job leaves outputs and state intact; bad input on one rank names file and line
# and exits 2.
# Usage: mpi_outputs.sh SEGMINT_BIN WORKDIR MPI_BUILD(ON|OFF) [SHARED_DATASETS_DIR]
# Exit 77 (ctest: skipped) with the reason when mpirun or the MPI build is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "$1"); work=$2; built=$3; shared=${4:+$(realpath -m "$4")}
if [[ $built != ON ]]; then echo "skipped: segmint was built without MPI (SEGMINT_MPI)"; exit 77; fi
if ! command -v mpirun >/dev/null; then echo "skipped: mpirun not found (scripts/deps.sh installs OpenMPI)"; exit 77; fi
rm -rf "$work"; mkdir -p "$work"; cd "$work"
# CI runs as root on 2 cores: OpenMPI needs both of these and --oversubscribe for 3 ranks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
q() { "$bin" "$@" --log-format json 2>>log.txt; }
qm() { local np=$1; shift; mpirun -np "$np" "$bin" "$@" --log-format json 2>>log.txt; }
fail() { echo "FAIL: $*"; tail -20 log.txt; exit 1; }

# Every output file of one configuration ($1 = plain | np1 | np2 | np3); `m` runs a command.
scenario() {
  local tag=$1; shift
  local m=("$@") out=$tag
  mkdir -p "$out"
  "${m[@]}" run --events gen/events.csv --k 6 --n-init 2 --seed 7 --batch-rows 9000 --out "$out/run"
  "${m[@]}" run --events gen/part1.csv gen/part2.csv.gz --k 4 --init random --weight-by monetary --seed 3 --out "$out/run-two-files"
  "${m[@]}" features --events gen/events.csv --batch-rows 9000 --out "$out/features.csv"
  "${m[@]}" cluster --matrix "$out/features.csv" --k 5 --seed 3 --init k-means\|\| --out "$out/cluster"
  # A table of 13 000 rows: 4 chunks of 4096 rows spread over the ranks; the far initial centroid
  # leaves a cluster empty, so the repair of empty clusters runs across the ranks.
  "${m[@]}" cluster --matrix gen/matrix.csv --k 6 --seed 4 --n-init 2 --out "$out/cluster-big"
  "${m[@]}" cluster --matrix gen/matrix.csv --k 5 --init k-means\|\| --seed 4 --out "$out/cluster-big-par"
  "${m[@]}" cluster --matrix gen/matrix.csv --k 5 --init random --seed 4 --out "$out/cluster-big-rand"
  "${m[@]}" cluster --matrix gen/matrix.csv --transform none --init gen/far_init.csv --out "$out/cluster-repair"
  "${m[@]}" sweep --events gen/events.csv --k 3..4 --seed 1 --json > "$out/sweep.json"
  "${m[@]}" assign --model plain/run/model.json --events gen/events.csv --out "$out/assign.csv"
  for n in 1 2 3; do
    "${m[@]}" nightly --state "$out/state" --events "gen/night$n.csv" --k 5 --seed 2 --batch-rows 9000
    mkdir -p "$out/night$n"
    cp "$out"/state/latest/{assignments.csv,centroids.csv,model.json,summary.json,migrations.csv} "$out/night$n/"
  done
  if [[ -n $shared && -d $shared ]]; then
    for f in 2019-Oct_head17k.csv taobao_userbehavior_814users.csv.gz online_retail_II_2009-2010.csv.gz; do
      [[ -f $shared/$f ]] || continue
      "${m[@]}" run --events "$shared/$f" --k 4 --seed 1 --out "$out/real-${f%%.*}"
      "${m[@]}" features --events "$shared/$f" --out "$out/real-${f%%.*}.features.csv"
      "${m[@]}" cluster --matrix "$out/real-${f%%.*}.features.csv" --k 4 --seed 2 --out "$out/real-${f%%.*}.cluster"
    done
    for d in real-rees real-taobao; do  # three nights of a real data set (split below)
      [[ -f gen/$d/night3.csv ]] || continue
      for n in 1 2 3; do
        "${m[@]}" nightly --state "$out/state-$d" --events "gen/$d/night$n.csv" --k 4 --seed 2
        mkdir -p "$out/$d-night$n"
        cp "$out/state-$d"/latest/{assignments.csv,centroids.csv,model.json,summary.json,migrations.csv} "$out/$d-night$n/"
      done
    done
  fi
}

q generate --users 1200 --seed 7 --days 20 --out gen >/dev/null
python3 "$here/../data/split_nights.py" gen/events.csv gen
if [[ -n $shared && -d $shared ]]; then
  for d in "real-rees 2019-Oct_head17k.csv event_time" "real-taobao taobao_userbehavior_814users.csv.gz timestamp"; do
    read -r name file column <<<"$d"
    [[ -f $shared/$file ]] || continue
    mkdir -p "gen/$name" && python3 "$here/../data/split_nights.py" "$shared/$file" "gen/$name" "$column"
  done
fi
python3 - <<'PY'
import csv, gzip
rows = list(csv.reader(open("gen/events.csv", newline="")))
head, body = rows[0], rows[1:]
half = len(body) // 2
with open("gen/part1.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(head); w.writerows(body[:half])
with gzip.open("gen/part2.csv.gz", "wt", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(head); w.writerows(body[half:])
rng = __import__("random").Random(5)
with open("gen/matrix.csv", "w") as f:
    f.write("user_id,f1,f2,f3,f4\n")
    for i in range(13000):
        c = i % 5
        f.write(f"m{i:05d}," + ",".join(f"{c * 3 + rng.gauss(0, 1):.4f}" for _ in range(4)) + "\n")
with open("gen/far_init.csv", "w") as f:
    f.write("f1,f2,f3,f4\n0,0,0,0\n6,6,6,6\n12,12,12,12\n1000000,1000000,1000000,1000000\n")
# A bad row nine tenths in: read by the last of three ranks.
bad = rows[:]; line = 9 * len(rows) // 10; bad[line] = ["not", "a", "row"]
with open("gen/bad.csv", "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(bad)
open("gen/bad_line.txt", "w").write(str(line + 1))
PY

scenario plain q
for np in 1 2 3; do scenario "np$np" qm "$np"; done

python3 - <<'PY'
import hashlib, json, os, sys
def norm(o):
    if isinstance(o, dict):
        return {k: norm(v) for k, v in o.items()
                if k not in ("timings_ms", "device_detail", "device_fallback_reason", "mpi")}
    if isinstance(o, list):
        return [norm(v) for v in o]
    return o
def digests(top):
    out = {}
    for root, dirs, files in os.walk(top):
        # Hidden dirs hold run generations (.segmint/run-<pid>-<ns>, names vary): read the
        # outputs through the fixed links beside them.
        dirs[:] = [d for d in dirs if not d.startswith(("state", "."))]
        for f in files:
            p = os.path.join(root, f)
            data = open(p, "rb").read()
            if f.endswith(".json"):
                data = json.dumps(norm(json.loads(data)), sort_keys=True).encode()
            out[os.path.relpath(p, top)] = hashlib.sha256(data).hexdigest()
    return out
plain = digests("plain")
bad = 0
for np in ("np1", "np2", "np3"):
    got = digests(np)
    if set(got) != set(plain):
        print(f"{np}: files differ: {sorted(set(got) ^ set(plain))}"); bad += 1
    for f in sorted(plain):
        if got.get(f) != plain[f]:
            print(f"{np}/{f}: differs from the plain run"); bad += 1
    for out in ("run", "cluster", "night3"):
        s = json.load(open(f"{np}/{out}/summary.json"))["mpi"]
        n = int(np[2:])
        ok = s["ranks"] == n and [p["rank"] for p in s["per_rank"]] == list(range(n))
        ok = ok and all(p["bytes_sent"] >= 0 and p["comm_ms"] >= 0 for p in s["per_rank"])
        ok = ok and s["bytes_exchanged"] == sum(p["bytes_sent"] for p in s["per_rank"])
        if out != "cluster":  # read steps: every event read once, owned once, users once
            plain_s = json.load(open(f"plain/{out}/summary.json"))
            ok = ok and sum(p["events_read"] for p in s["per_rank"]) == plain_s["events"]
            ok = ok and sum(p["events_owned"] for p in s["per_rank"]) == plain_s["events"]
            ok = ok and s["bytes_exchanged"] >= s["read"]["bytes_exchanged"]
            if out == "run":
                ok = ok and sum(p["users"] for p in s["per_rank"]) == plain_s["users"]
        if n > 1 and s["bytes_exchanged"] == 0:
            ok = False
        if not ok:
            print(f"{np}/{out}: summary.json mpi block wrong: {s}"); bad += 1
if "mpi" in json.load(open("plain/run/summary.json")):
    print("plain run has an mpi block"); bad += 1
print(f"{len(plain)} files x 3 rank counts compared, {bad} differences")
sys.exit(1 if bad else 0)
PY

# --- a rank killed mid-job: previous outputs and state intact -------------------------------------
snap() { (cd "$1" && find . -type f -o -type l | sort | while read -r f; do echo "$f $(sha256sum < "$f" 2>/dev/null || readlink "$f")"; done); }
before=$(snap np3/run)
SEGMINT_TEST_KILL_POINT=mid_exchange SEGMINT_TEST_KILL_RANK=1 \
  qm 3 run --events gen/events.csv --k 3 --seed 9 --batch-rows 9000 --out np3/run && fail "killed run exited 0"
[[ $(snap np3/run) == "$before" ]] || fail "a killed run changed the previous outputs"
for n in 1 2; do qm 3 nightly --state kill --events "gen/night$n.csv" --k 5 --seed 2; done
state_snap() { snap kill/state; readlink kill/latest; }
before=$(state_snap)
SEGMINT_TEST_KILL_POINT=mid_shard_save SEGMINT_TEST_KILL_RANK=2 \
  qm 3 nightly --state kill --events gen/night3.csv --k 5 --seed 2 && fail "killed night exited 0"
[[ $(state_snap) == "$before" ]] || fail "a killed night changed the state or latest"
qm 3 nightly --state kill --events gen/night3.csv --k 5 --seed 2 || fail "the night after a kill failed"
cmp kill/latest/assignments.csv np3/night3/assignments.csv || fail "the night after a kill differs"

# --- N changes: refused with exit 2 ---------------------------------------------------------------
set +e
qm 2 nightly --state kill --events gen/bad.csv --k 5; rc=$?
set -e
[[ $rc == 2 ]] || fail "a state of 3 ranks continued with 2 exited $rc, not 2"

# --- bad input on one rank: file and line, exit 2 -----------------------------------------------
set +e
mpirun -np 3 "$bin" run --events gen/bad.csv --k 3 --out bad 2>bad.txt; rc=$?
set -e
[[ $rc == 2 ]] || { cat bad.txt; fail "bad input exited $rc, not 2"; }
grep -q "rank 2 of 3: gen/bad.csv:$(cat gen/bad_line.txt): " bad.txt || { cat bad.txt; fail "no file:line"; }
[[ ! -e bad ]] || fail "bad input wrote outputs"
echo "mpi outputs: byte-identical for np 1, 2, 3; kill and bad-input checks passed"
