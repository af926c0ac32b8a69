// run_nightly(): the order of the steps is what makes a kill at any point recoverable:
//   1. the run directory is staged and renamed into runs/<as_of> (latest still old),
//   2. the state is staged and swapped in (the night now counts as merged),
//   3. latest is switched. A rerun after a kill between 2 and 3 finds nothing new to merge and
//      only switches latest to the state's run.
#include "nightly/nightly_flow.hpp"

#include <filesystem>
#include <fstream>

#include "common/atomic_file.hpp"
#include "common/log.hpp"
#include "nightly/fs_ops.hpp"
#include "nightly/lock.hpp"
#include "nightly/night.hpp"
#include "nightly/state_files.hpp"
#include "pipeline/segment.hpp"
#include "report/projection.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {

NightlyReport run_nightly(const NightlyOptions& o) {
  std::filesystem::create_directories(o.dir);
  DirLock lock(o.dir);
  StateDir sd(o.dir);
  for (const auto& line : sd.recover()) log_info("recovery: " + line);
  kill_point("after_lock");

  Night n(o, sd);
  load_state(n);
  select_inputs(n);
  if (n.report.merged.empty()) {
    finish_nothing_new(n);
    return n.report;
  }
  // Kill points (tests/cli/nightly_crash_test.cpp) sit inside the steps: after_aggregate,
  // after_kmeans, before_run_commit, before_state_commit, mid_state_commit, after_state_commit,
  // after_latest_switch.
  merge_tonight(n);
  features_and_scale(n);
  plan_warm_start(n);
  fit_tonight(n);
  match_ids(n);
  describe_night(n);
  write_run_dir(n);
  commit_night_state(n);
  switch_to_tonight(n);
  return n.report;
}

void write_run_dir(Night& n) {
  // The same files as `run` (latest and state untouched until the directory is complete).
  const std::string staged = n.sd.begin_run(n.name);
  pipeline::write_run_files(n.run, staged);
  for (const char* f : {"assignments.csv", "centroids.csv", "summary.json", "model.json"}) {
    fsync_file(staged + "/" + f);
  }
  if (n.o.write_features) write_features_csv(staged + "/features.csv", n.run.raw, n.run.users);
  if (n.o.write_projection) {
    report::write_projection(staged, n.run.x, n.run.row_ids(), n.run.seg.fit.labels,
                             n.run.segment_ids);
  }
  write_file_atomic(staged + "/migrations.csv", migrations_csv(n.migrations));  // checked, fsynced
  kill_point("before_run_commit");
  n.sd.commit_run(staged, n.name);
  kill_point("before_state_commit");
}

void commit_night_state(Night& n) {
  const pipeline::RunRecord& r = n.run;
  const std::string staged = n.sd.begin_state();
  if (n.o.ranked.save) {
    n.o.ranked.save(staged);  // one shard per rank
  } else {
    std::ofstream out(staged + "/table.bin", std::ios::binary);
    r.table.save(out);
    out.close();
    if (!out) throw RuntimeError("cannot write " + staged + "/table.bin");
  }
  save_dictionary(r.users, staged + "/users.bin");
  save_labels(n.labels, staged + "/labels.bin");
  NightlyModel next;
  next.scaler = r.scaler;
  next.k = r.params.k;
  next.d = static_cast<int>(r.x.cols);
  next.centroids = r.seg.fit.centroids;
  next.center = n.center;
  next.spread = n.spread;
  next.ids = n.stable.ids;
  next.names = r.seg.names;
  next.next_id = n.match.next_id;
  next.session_gap_seconds = n.o.aggregate.session_gap_seconds;
  next.tz_offset_minutes = n.o.aggregate.tz_offset_minutes;
  next.transform = r.transform;
  next.min_time = r.min_time;
  next.max_time = r.max_time;
  Manifest m;
  m.as_of = r.as_of;
  m.run = n.name;
  if (n.manifest && !n.o.full) m.inputs = n.manifest->inputs;
  m.inputs.insert(m.inputs.end(), n.prints.begin(), n.prints.end());
  m.model = to_json(next);
  kill_point("mid_state_commit");
  n.sd.commit_state(staged, m);
  kill_point("after_state_commit");
}

void switch_to_tonight(Night& n) {
  // latest, then retention (never the run latest points to).
  n.sd.switch_latest(n.name);
  kill_point("after_latest_switch");
  n.report.removed_runs = n.sd.retain(n.o.keep, {n.name});
  for (const auto& r : n.report.removed_runs) log_info("retention: removed run " + r);
  log_block(pipeline::segment_table(n.run.seg.profiles, n.run.seg.names, n.stable.ids));
  n.report.run = n.name;
  for (int row : n.stable.new_rows) n.report.new_ids.push_back(n.stable.ids[row]);
  n.report.vanished_ids = n.match.vanished_ids;
}

}  // namespace segmint::nightly
