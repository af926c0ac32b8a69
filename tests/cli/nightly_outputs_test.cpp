// A nightly run directory holds `run`'s outputs (same files, same fields), new segments get the
// pipeline's names, and `assign` works on DIR/latest/model.json with the stable ids.
#include <gtest/gtest.h>

#include <set>

#include "nightly_support.hpp"

namespace segmint::test {
namespace {

std::string joined(const std::vector<std::string>& files) {
  std::string s;
  for (const auto& f : files) s += (s.empty() ? "" : ",") + f;
  return s;
}

// user_id -> (segment, segment_name) of an assignments.csv.
std::map<std::string, std::pair<std::string, std::string>> labelled(const std::string& path) {
  std::map<std::string, std::pair<std::string, std::string>> m;
  auto rows = read_csv(path);
  for (std::size_t i = 1; i < rows.size(); ++i) m[rows[i][0]] = {rows[i][1], rows[i][2]};
  return m;
}

TEST(NightlyOutputs, FirstNightWritesWhatRunWrites) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  std::string state = dir.file("s");
  auto n = night(state, files[0]);
  ASSERT_EQ(n.exit_code, 0) << n.err;
  auto r = run_cli({"run", "--events", files[0], "--schema", "rees46", "--k", "4", "--seed", "1",
                    "--device", "cpu", "--out", dir.file("run")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The first night has a fresh scaler and ids in `run`'s order: the per-user files agree.
  for (const char* f : {"assignments.csv", "centroids.csv"}) {
    EXPECT_EQ(read_file(state + "/latest/" + f), read_file(dir.file("run/") + f)) << f;
  }
  auto model = read_json(state + "/latest/model.json");
  EXPECT_EQ(model["segment_ids"], nlohmann::json({0, 1, 2, 3}));
  model.erase("segment_ids");
  EXPECT_EQ(model, read_json(dir.file("run/model.json")));
  // summary.json: every field of run's, the same segments, plus the nightly sections.
  auto ns = read_json(state + "/latest/summary.json"), rs = read_json(dir.file("run/summary.json"));
  for (auto it = rs.begin(); it != rs.end(); ++it) EXPECT_TRUE(ns.contains(it.key())) << it.key();
  EXPECT_EQ(ns["segments"], rs["segments"]);
  EXPECT_EQ(ns["command"], "nightly");
  for (const char* key : {"as_of", "run", "full", "changes"}) EXPECT_TRUE(ns.contains(key)) << key;
  EXPECT_TRUE(fs::exists(state + "/latest/migrations.csv"));
}

TEST(NightlyOutputs, NewSegmentGetsAPipelineNameAndMatchedOnesKeepTheirs) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  std::string state = dir.file("s");
  ASSERT_EQ(night(state, files[0]).exit_code, 0);
  auto before = read_json(state + "/latest/model.json");
  auto r = night(state, files[1], {"--k", "5"});  // one segment more than yesterday
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto model = read_json(state + "/latest/model.json");
  auto changes = read_json(state + "/latest/summary.json")["changes"];
  ASSERT_EQ(changes["new_segments"], nlohmann::json({4})) << changes.dump();
  std::vector<int> ids = model["segment_ids"];
  std::vector<std::string> names = model["segment_names"];
  EXPECT_EQ(ids, (std::vector<int>{0, 1, 2, 3, 4}));  // rows in id order
  for (int i = 0; i < 4; ++i) EXPECT_EQ(names[i], before["segment_names"][i]) << i;
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  EXPECT_FALSE(names[4].empty());
  EXPECT_NE(names[4], "Segment 4");  // not a placeholder
  auto rows = read_csv(state + "/latest/centroids.csv");
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[5][0], "4");
  EXPECT_EQ(rows[5][1], names[4]);
}

TEST(NightlyOutputs, AssignWorksOnTheLatestNightlyModel) {
  TempDir dir;
  auto files = write_days(DayData{}, dir.path().string());
  std::string state = dir.file("s");
  for (const auto& f : files) ASSERT_EQ(night(state, f).exit_code, 0);
  auto a = run_cli({"assign", "--model", state + "/latest/model.json", "--events", joined(files),
                    "--schema", "rees46", "--device", "cpu", "--out", dir.file("a.csv")});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto assigned = labelled(dir.file("a.csv"));
  auto nightly = labelled(state + "/latest/assignments.csv");
  ASSERT_EQ(assigned.size(), nightly.size());
  std::size_t same = 0;
  for (const auto& [user, seg] : nightly) same += assigned[user] == seg;
  // Same features, scaler and centroids: nearest centroid gives the night's own segments.
  EXPECT_EQ(same, nightly.size());
}

}  // namespace
}  // namespace segmint::test
