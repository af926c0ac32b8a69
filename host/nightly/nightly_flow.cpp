// run_nightly(): the order of the steps is what makes a kill at any point recoverable:
//   1. the run directory is staged and renamed into runs/<as_of> (latest still old),
//   2. the state is staged and swapped in (the night now counts as merged),
//   3. latest is switched. A rerun after a kill between 2 and 3 finds nothing new to merge and
//      only switches latest to the state's run.
#include "nightly/nightly_flow.hpp"

#include <filesystem>

#include "common/log.hpp"
#include "nightly/fs_ops.hpp"
#include "nightly/lock.hpp"
#include "nightly/night.hpp"

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

}  // namespace segmint::nightly
