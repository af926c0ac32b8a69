// segmint nightly over generated days: incremental == one shot, stable ids, planted shift,
// idempotent reruns, retention, bad input leaves everything untouched.
#include <gtest/gtest.h>

#include <cmath>

#include "nightly_support.hpp"

namespace segmint::test {
namespace {

// Runs nights 0..n-1 of `files` into `state`; every one must succeed.
void run_nights(const std::string& state, const std::vector<std::string>& files,
                std::vector<std::string> extra = {}) {
  for (const auto& f : files) {
    auto r = night(state, f, extra);
    ASSERT_EQ(r.exit_code, 0) << f << "\n" << r.err;
  }
}

std::string joined(const std::vector<std::string>& files) {
  std::string s;
  for (const auto& f : files) s += (s.empty() ? "" : ",") + f;
  return s;
}

void expect_same_features(const std::string& a, const std::string& b) {
  auto x = read_csv(a), y = read_csv(b);
  ASSERT_EQ(x.size(), y.size());
  ASSERT_GT(x.size(), 1u);
  EXPECT_EQ(x[0], y[0]);  // same columns
  for (std::size_t i = 1; i < x.size(); ++i) {
    ASSERT_EQ(x[i].size(), y[i].size());
    EXPECT_EQ(x[i][0], y[i][0]);
    for (std::size_t j = 1; j < x[i].size(); ++j) {
      double p = std::stod(x[i][j]), q = std::stod(y[i][j]);
      EXPECT_NEAR(p, q, 1e-5 * std::max(1.0, std::fabs(q))) << x[i][0] << " " << x[0][j];
    }
  }
}

TEST(NightlyFlow, DayByDayEqualsOneRunOverAllDays) {
  TempDir dir;
  DayData g;
  auto files = write_days(g, dir.path().string());
  run_nights(dir.file("daily"), files, {"--write-features"});
  auto r = night(dir.file("full"), joined(files), {"--full", "--write-features"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_features(dir.file("daily/latest/features.csv"),
                       dir.file("full/latest/features.csv"));
  // And the same as `segmint features` over all days at once.
  auto f = run_cli({"features", "--events", joined(files), "--schema", "rees46", "--out",
                    dir.file("features.csv")});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  expect_same_features(dir.file("daily/latest/features.csv"), dir.file("features.csv"));
  // The state tables themselves agree byte for byte (merge is exact on these aggregates).
  EXPECT_EQ(read_file(dir.file("daily/state/table.bin")),
            read_file(dir.file("full/state/table.bin")));
}

TEST(NightlyFlow, IdsAndNamesStayWhenBehaviourDoesNotChange) {
  TempDir dir;
  DayData g;
  auto files = write_days(g, dir.path().string());
  std::string state = dir.file("s");
  nlohmann::json first;
  for (std::size_t d = 0; d < files.size(); ++d) {
    auto r = night(state, files[d]);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto summary = read_json(state + "/latest/summary.json");
    auto model = read_json(state + "/latest/model.json");
    if (d == 0) {
      first = model;
      continue;
    }
    const auto& ch = summary["changes"];
    EXPECT_TRUE(ch["new_segments"].empty()) << ch.dump();
    EXPECT_TRUE(ch["vanished_segments"].empty()) << ch.dump();
    EXPECT_EQ(ch["scaler"], "kept");
    EXPECT_TRUE(ch["warm_start"].get<bool>());
    EXPECT_EQ(model["segment_ids"], first["segment_ids"]);
    EXPECT_EQ(model["segment_names"], first["segment_names"]);
    double stayed = ch["migrations"]["users_stayed"], moved = ch["migrations"]["users_moved"];
    // Mostly diagonal: k=4 on young histories puts some users near a boundary.
    EXPECT_GE(stayed / (stayed + moved), 0.75) << ch["migrations"].dump();
  }
}

TEST(NightlyFlow, PlantedShiftShowsInMigrations) {
  TempDir dir;
  DayData g;
  g.shift_day = 1;  // from the second day on, 30 of the 60 browsers buy like buyers
  g.shift_users = 30;
  auto files = write_days(g, dir.path().string());
  std::string state = dir.file("s");
  run_nights(state, {files[0]});
  auto night1 = segments_of(state + "/latest/assignments.csv");
  const int buyers = night1[user_id(kBuyer, 0)], browsers = night1[user_id(kBrowser, 59)];
  ASSERT_NE(buyers, browsers);
  std::uint64_t moved = 0;
  for (std::size_t d = 1; d < files.size(); ++d) {
    auto r = night(state, files[d]);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& row : read_csv(state + "/latest/migrations.csv")) {
      if (row[0] == std::to_string(browsers) && row[2] == std::to_string(buyers)) {
        moved += std::stoull(row[4]);
      }
    }
  }
  auto last = segments_of(state + "/latest/assignments.csv");
  int shifted_with_buyers = 0;
  for (int i = 0; i < 30; ++i) shifted_with_buyers += last[user_id(kBrowser, i)] == buyers;
  EXPECT_GE(shifted_with_buyers, 27);
  EXPECT_GE(moved, 27u);
  EXPECT_EQ(last[user_id(kBrowser, 59)], browsers);  // unshifted browsers stay
}

TEST(NightlyFlow, FullRebuildRefitsTheScalerAndKeepsIds) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  std::string state = dir.file("s");
  run_nights(state, {files[0], files[1], files[2]});
  auto before = read_json(state + "/latest/model.json");
  auto r = night(state, joined(files), {"--full"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto ch = read_json(state + "/latest/summary.json")["changes"];
  EXPECT_EQ(ch["scaler"], "fitted");
  EXPECT_TRUE(ch["warm_start"].get<bool>());
  EXPECT_TRUE(ch["new_segments"].empty()) << ch.dump();
  EXPECT_EQ(read_json(state + "/latest/model.json")["segment_names"], before["segment_names"]);
  // The rebuilt state records all four files: rerunning the last day is nothing new.
  auto again = night(state, files[3]);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("nothing new"), std::string::npos) << again.err;
}

TEST(NightlyFlow, RerunningTheSameNightChangesNothing) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  std::string state = dir.file("s");
  run_nights(state, {files[0], files[1]});
  auto before = snapshot(state, /*skip_timings=*/false);
  auto r = night(state, files[1]);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("nothing new"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(state, false), before);
  // A copy of the file under another name is the same content: still nothing new.
  fs::copy_file(files[1], dir.file("renamed.csv"));
  EXPECT_EQ(night(state, dir.file("renamed.csv")).exit_code, 0);
  EXPECT_EQ(snapshot(state, false), before);
}

TEST(NightlyFlow, JsonLogsAreOneObjectPerLine) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  auto r = night(dir.file("s"), files[0], {"--log-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.err);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);  // throws (test fails) on a non-JSON line
    EXPECT_TRUE(j.contains("level")) << line;
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST(NightlyFlow, KeepRetainsNewestRuns) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  std::string state = dir.file("s");
  run_nights(state, files, {"--keep", "2"});
  auto runs = list_dir(state + "/runs");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1], fs::read_symlink(state + "/latest").filename().string());
  EXPECT_EQ(runs[0].substr(0, 10), "2024-01-03");  // the two newest of four days
  EXPECT_EQ(runs[1].substr(0, 10), "2024-01-04");
}

TEST(NightlyFlow, BadInputExitsTwoAndLeavesEverythingUntouched) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  std::string state = dir.file("s");
  run_nights(state, {files[0]});
  auto before = snapshot(state, false);
  write_file(dir.file("bad.csv"),
             "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,"
             "user_session\nnot a time,view,1,2,,,1.0,u1,s\n");
  auto r = night(state, dir.file("bad.csv"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("bad.csv:2"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(state, false), before);
}

TEST(NightlyFlow, HeldLockExitsFourNamingThePid) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  fs::create_directories(dir.file("s"));
  nightly::DirLock held(dir.file("s"));
  auto r = night(dir.file("s"), files[0]);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("pid " + std::to_string(::getpid())), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("s/state")));
}

}  // namespace
}  // namespace segmint::test
