// Crash safety: kill -9 a nightly run at named points (SEGMINT_TEST_KILL_POINT) and at random
// moments; state and latest stay valid, and rerunning gives exactly an uninterrupted result.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "nightly_support.hpp"

namespace segmint::test {
namespace {

struct Fixture {
  TempDir dir;
  std::vector<std::string> files = write_days(DayData{}, dir.path().string());
  std::string reference = dir.file("reference");
  Fixture() {
    for (const auto& f : files) {
      auto r = night(reference, f);
      if (r.exit_code != 0) throw std::runtime_error("reference night failed: " + r.err);
    }
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

const char* const kKillPoints[] = {"after_lock",          "after_aggregate",
                                   "after_kmeans",        "before_run_commit",
                                   "before_state_commit", "mid_state_commit",
                                   "after_state_commit",  "after_latest_switch"};

// Kills night `killed_night` at `point`, checks validity, then finishes all nights and compares
// with the uninterrupted reference.
void kill_and_recover(const std::string& point, std::size_t killed_night) {
  Fixture& fx = fixture();
  TempDir work;
  std::string state = work.file("s");
  for (std::size_t d = 0; d < killed_night; ++d) ASSERT_EQ(night(state, fx.files[d]).exit_code, 0);
  auto before = fs::exists(state) ? snapshot(state, false) : std::map<std::string, std::string>{};
  auto r = night(state, fx.files[killed_night], {}, "SEGMINT_TEST_KILL_POINT=" + point);
  ASSERT_EQ(r.exit_code, 128 + SIGKILL) << point << ": " << r.err;
  expect_valid_state(state);
  nightly::StateDir sd(state);
  bool committed = point == "after_state_commit" || point == "after_latest_switch";
  if (!committed && killed_night > 0) {
    // Before the state commit nothing a reader uses has changed but possibly runs/<as_of>.
    auto after = snapshot(state, false);
    for (const char* key : {"state/manifest.json", "latest"}) {
      ASSERT_TRUE(after.count(key) && before.count(key)) << point << " " << key;
      EXPECT_EQ(after.at(key), before.at(key)) << point << " " << key;
    }
  }
  for (std::size_t d = killed_night; d < fx.files.size(); ++d) {
    auto again = night(state, fx.files[d]);
    ASSERT_EQ(again.exit_code, 0) << point << " night " << d << ": " << again.err;
  }
  EXPECT_EQ(snapshot(state), snapshot(fx.reference)) << point;
}

TEST(NightlyCrash, KillAtEveryNamedPointThenRecover) {
  for (const char* point : kKillPoints) {
    SCOPED_TRACE(point);
    kill_and_recover(point, 2);
  }
}

TEST(NightlyCrash, KillDuringTheFirstNight) {
  for (const char* point : {"after_kmeans", "before_state_commit", "after_state_commit"}) {
    SCOPED_TRACE(point);
    kill_and_recover(point, 0);
  }
}

// Random moments: the child is killed after a random delay (fresh each run); wherever it lands,
// the rerun must converge to the reference. Timing only picks the moment; nothing is asserted
// about it.
TEST(NightlyCrash, KillAtRandomMomentsThenRecover) {
  Fixture& fx = fixture();
  std::random_device rd;
  unsigned seed = rd();
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 5; ++trial) {
    TempDir work;
    std::string state = work.file("s");
    for (std::size_t d = 0; d < 2; ++d) ASSERT_EQ(night(state, fx.files[d]).exit_code, 0);
    run_and_kill_after(night_args(state, fx.files[2]), std::chrono::microseconds(rng() % 60000));
    expect_valid_state(state);
    for (std::size_t d = 2; d < fx.files.size(); ++d) {
      auto again = night(state, fx.files[d]);
      ASSERT_EQ(again.exit_code, 0) << "seed " << seed << ": " << again.err;
    }
    EXPECT_EQ(snapshot(state), snapshot(fx.reference)) << "seed " << seed << " trial " << trial;
  }
}

}  // namespace
}  // namespace segmint::test
