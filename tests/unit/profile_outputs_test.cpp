// Output files: exact assignments/centroids text, summary fields, and the all-or-nothing commit.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "outputs/outputs.hpp"
#include "pipeline/segment.hpp"
#include "test_support.hpp"

namespace segmint::pipeline {
namespace {

TEST(ProfileOutputs, AssignmentsSortedByIdStringAndQuoted) {
  std::string csv = assignments_csv({"b", "10", "9", "x,y"}, {1, 0, 1, 0}, {0.5f, 2.f, 0.f, 1.25f},
                                    {"Champions", "At \"Risk\""});
  EXPECT_EQ(csv,
            "user_id,segment,segment_name,distance\n"
            "10,0,Champions,2\n"
            "9,1,\"At \"\"Risk\"\"\",0\n"
            "b,1,\"At \"\"Risk\"\"\",0.5\n"
            "\"x,y\",0,Champions,1.25\n");
}

// Rows are rendered in blocks on all threads: 20011 users (blocks of 8192 and a tail) give the
// lines of one ordered pass, each user's own.
TEST(ProfileOutputs, AssignmentsOfManyUsersAreEachUsersLineInIdOrder) {
  std::vector<std::string> ids;
  std::vector<std::int32_t> labels;
  std::vector<float> dist;
  for (int u = 0; u < 20011; ++u) {
    ids.push_back("u" + std::to_string((u * 7919) % 20011));
    labels.push_back(u % 3);
    dist.push_back(static_cast<float>(u) / 7.f);
  }
  const std::string csv = assignments_csv(ids, labels, dist, {"A", "B", "C"});
  std::vector<std::size_t> order(ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  std::string want = "user_id,segment,segment_name,distance\n";
  for (std::size_t i : order)
    want += ids[i] + "," + std::to_string(labels[i]) + "," + std::string(1, char('A' + labels[i])) +
            "," + format_number(dist[i]) + "\n";
  EXPECT_EQ(csv, want);
}

TEST(ProfileOutputs, CentroidsHaveMeansInOriginalUnits) {
  Profiles p;
  p.features = {"recency_days", "monetary"};
  SegmentProfile a, b;
  a.size = 3;
  a.mean = {1.5, 100.25};
  b.size = 1;
  b.mean = {40, 0};
  p.segments = {a, b};
  EXPECT_EQ(centroids_csv(p, {"Champions", "Dormant"}),
            "segment,segment_name,size,recency_days,monetary\n"
            "0,Champions,3,1.5,100.25\n"
            "1,Dormant,1,40,0\n");
}

TEST(ProfileOutputs, NumbersRoundTripFloats) {
  float f = 1.0f / 3.0f;
  EXPECT_EQ(std::stof(format_number(f)), f);
  EXPECT_EQ(format_number(-0.0), "0");
}

TEST(ProfileOutputs, SummaryHasTheDesignFields) {
  Summary s;
  s.events = 10;
  s.users = 4;
  s.bad_rows = 1;
  s.rows_without_user = 2;
  s.k = 2;
  s.device = "cpu";
  s.dropped_constant = {"carts"};
  s.segment_names = {"Champions"};
  s.segment_sizes = {4};
  s.segment_traits = {{{"monetary", 1.234}, {"recency_days", -0.5}}};
  s.timings_ms = {{"read", 1}, {"aggregate", 2}, {"features", 3}, {"kmeans", 4}, {"write", 5}};
  auto j = nlohmann::json::parse(summary_json(s));
  EXPECT_EQ(j["events"], 10);
  EXPECT_EQ(j["users"], 4);
  EXPECT_EQ(j["bad_rows"], 1);
  EXPECT_EQ(j["rows_without_user"], 2);
  EXPECT_EQ(j["device"], "cpu");
  EXPECT_EQ(j["dropped_constant_features"][0], "carts");
  for (const char* stage : {"read", "aggregate", "features", "kmeans", "write"}) {
    EXPECT_TRUE(j["timings_ms"].contains(stage)) << stage;
  }
  EXPECT_EQ(j["segments"][0]["segment_name"], "Champions");
  EXPECT_EQ(j["segments"][0]["size"], 4);
  EXPECT_DOUBLE_EQ(j["segments"][0]["traits_z"]["monetary"].get<double>(), 1.23);
}

TEST(ProfileOutputs, CommitIsAllOrNothing) {
  test::TempDir dir;
  commit_outputs(dir.path().string(), {{"a.csv", "old a\n"}, {"b.json", "old b\n"}});
  // The second file cannot be created (its directory does not exist): nothing may change.
  EXPECT_ANY_THROW(commit_outputs(dir.path().string(),
                                  {{"a.csv", "new a\n"}, {"missing/b.json", "new b\n"}}));
  EXPECT_EQ(test::read_file(dir.file("a.csv")), "old a\n");
  EXPECT_EQ(test::read_file(dir.file("b.json")), "old b\n");
  EXPECT_EQ(test::list_dir(dir.path().string()), (std::vector<std::string>{"a.csv", "b.json"}));
}

TEST(ProfileOutputs, SegmentTableShowsNamesSizesAndShares) {
  Profiles p;
  p.features = {"recency_days", "frequency", "monetary", "other"};
  SegmentProfile a;
  a.size = 3;
  a.share = 0.75;
  a.mean = {2, 5, 120.5, 9};
  p.segments = {a};
  std::string t = segment_table(p, {"Champions"});
  EXPECT_NE(t.find("Champions"), std::string::npos);
  EXPECT_NE(t.find("75.0%"), std::string::npos);
  EXPECT_NE(t.find("120.50"), std::string::npos);
  EXPECT_EQ(t.find("other"), std::string::npos);  // only key columns
}

}  // namespace
}  // namespace segmint::pipeline
