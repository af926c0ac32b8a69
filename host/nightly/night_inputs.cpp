// The first steps of a night: load the state, pick tonight's files, merge them into the state
// table, then features and the scaler.
#include <cstdio>
#include <fstream>
#include <set>

#include "common/log.hpp"
#include "nightly/fs_ops.hpp"
#include "nightly/night.hpp"
#include "nightly/state_files.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {

std::string shard_name(int rank, int ranks) {
  return "table.rank-" + std::to_string(rank) + "-of-" + std::to_string(ranks) + ".bin";
}

namespace {

// The table of a state is table.bin (one process) or one shard per rank: a night continues it
// with the same layout, or rebuilds it with --full.
void check_table_layout(const Night& n) {
  const int ranks = n.o.ranked.ranks;
  int had = -1;  // -1 unknown, 0 one process, else ranks
  for (const auto& [name, print] : n.manifest->files) {
    if (name == "table.bin") had = 0;
    int r = 0, of = 0;
    if (std::sscanf(name.c_str(), "table.rank-%d-of-%d.bin", &r, &of) == 2) had = of;
  }
  if (had < 0 || had == ranks || n.o.full) return;
  auto says = [](int k) { return k ? "mpirun -np " + std::to_string(k) : std::string("one process"); };
  throw UsageError("the state in " + n.o.dir + " was written by " + says(had) + " and this night " +
                   "runs as " + says(ranks) + ": continue it the same way, or rebuild it with " +
                   "--full and all event files");
}

}  // namespace

void load_state(Night& n) {
  const NightlyOptions& o = n.o;
  n.manifest = n.sd.load();
  n.run.table = UserTable(o.aggregate);
  if (!n.manifest) return;
  const std::string st = n.sd.state_path();
  n.before = model_from_json(n.manifest->model, st + "/manifest.json");
  // Each file through verified_file: the manifest must list its checksum (load() checked it).
  n.run.users = load_dictionary(n.sd.verified_file(*n.manifest, "users.bin"));  // kept with
                                                                   // --full too: ids stay stable
  n.before_labels = load_labels(n.sd.verified_file(*n.manifest, "labels.bin"));
  check_labels(n.before_labels, n.run.users.size(), n.before->ids, st + "/labels.bin");
  check_table_layout(n);
  if (o.full) return;
  if (n.before->session_gap_seconds != o.aggregate.session_gap_seconds ||
      n.before->tz_offset_minutes != o.aggregate.tz_offset_minutes) {
    throw UsageError("--session-gap/--tz-offset differ from the ones the state in " + o.dir +
                     " was built with; rerun with --full and all event files to rebuild");
  }
  if (o.ranked.ranks) {  // every rank loads its shard when merging: each must be verified
    for (int r = 0; r < o.ranked.ranks; ++r) {
      n.sd.verified_file(*n.manifest, shard_name(r, o.ranked.ranks));
    }
    return;
  }
  std::ifstream in(n.sd.verified_file(*n.manifest, "table.bin"), std::ios::binary);
  n.run.table = UserTable::load(in, st + "/table.bin");
  if (n.run.table.users() > n.run.users.size()) {
    throw InputError(st + "/table.bin", 0, "more users than the dictionary users.bin holds");
  }
}

void select_inputs(Night& n) {
  std::set<std::string> done;
  if (n.manifest && !n.o.full) done.insert(n.manifest->inputs.begin(), n.manifest->inputs.end());
  for (const auto& path : n.o.events) {
    std::string fp = fingerprint_file(path).text();
    if (done.count(fp)) {
      n.report.skipped.push_back(path);
      continue;
    }
    done.insert(fp);
    n.report.merged.push_back(path);
    n.prints.push_back(fp);
  }
  for (const auto& f : n.report.skipped) log_info("already merged, skipped: " + f);
}

void finish_nothing_new(Night& n) {
  if (!n.manifest) throw InputError("no event files to merge and no state in " + n.o.dir);
  n.report.nothing_new = true;
  n.report.run = n.manifest->run;
  if (n.sd.latest_run() != n.report.run) {  // a kill after the state commit: finish the switch
    n.sd.switch_latest(n.report.run);
    log_info("latest switched to " + n.report.run + " (finishing an interrupted run)");
  }
  log_info("nothing new: all input files were merged before; state and latest unchanged");
}

void merge_tonight(Night& n) {
  // The backend first: its feature stage folds tonight into the state's table.
  std::string reason;
  std::unique_ptr<Backend> backend = n.o.make_backend(n.o.kmeans.threads, &reason);
  pipeline::use_backend(n.run, std::move(backend), reason);
  if (n.o.ranked.merge) {
    n.o.ranked.merge(n.run, n.report.merged, n.manifest ? n.sd.state_path() : "", n.o.full);
  } else {
    pipeline::read_features(n.run, n.report.merged, n.o.ingest, n.o.aggregate, n.o.features,
                            /*keep_table=*/true);
  }
  kill_point("after_aggregate");
}

void features_and_scale(Night& n) {
  const NightlyOptions& o = n.o;
  // Yesterday's scaler is kept on incremental nights: refitting would move the coordinate system
  // every night, so warm start and id matching would compare centroids across different spaces
  // and ids would churn from rescaling alone. --full refits it (and converts old centroids).
  n.refit = !n.before || o.full;
  if (n.refit) {
    pipeline::scale(n.run, o.transform);
  } else {
    const std::string& kept = n.before->transform;
    pipeline::scale_with(n.run, n.before->scaler,
                         kept.empty() ? pipeline::transform_name(o.transform.kind) : kept);
    // Heavy is relative to tonight's population: cumulative activity grows with history, so
    // yesterday's fences would flag more users every night. The centre and scale stay kept.
    if (n.run.transform != "none") {
      n.run.scaler.heavy = fit_heavy_rule(n.run.raw, o.transform.heavy_fence);
      pipeline::flag_heavy(n.run);
    }
  }
}

}  // namespace segmint::nightly
