// segmint cluster: output files and their columns, determinism across runs and thread counts,
// reproduction from given centroids, and old outputs surviving bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "segments_test_data.hpp"

namespace segmint::test {
namespace {

class ClusterCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    write_blobs(dir_->file("m.csv"), 600, 4, 3, 8.0, 11, &truth_);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string matrix() { return dir_->file("m.csv"); }
  static CliResult cluster(const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"cluster", "--matrix", matrix(), "--k", "3", "--seed", "5",
                                     "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  static TempDir* dir_;
  static std::vector<int> truth_;
};
TempDir* ClusterCli::dir_ = nullptr;
std::vector<int> ClusterCli::truth_;

TEST_F(ClusterCli, WritesTheFourFilesWithTheirColumns) {
  TempDir out;
  auto r = cluster(out.path().string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(list_dir(out.path().string()),
            (std::vector<std::string>{".segmint", "assignments.csv", "centroids.csv", "model.json",
                                      "summary.json"}));
  EXPECT_TRUE(one_generation_in(out.path().string()));
  auto a = read_csv_rows(out.file("assignments.csv"));
  ASSERT_EQ(a.size(), 601u);
  EXPECT_EQ(a[0], (std::vector<std::string>{"user_id", "segment", "segment_name", "distance"}));
  for (std::size_t i = 2; i < a.size(); ++i) EXPECT_LT(a[i - 1][0], a[i][0]);  // sorted by id
  auto c = read_csv_rows(out.file("centroids.csv"));
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0], (std::vector<std::string>{"segment", "segment_name", "size", "f0", "f1", "f2",
                                            "f3"}));
  // ids ordered by size, sizes add up to the users
  long total = 0, previous = 1 << 30;
  for (std::size_t i = 1; i < c.size(); ++i) {
    EXPECT_EQ(c[i][0], std::to_string(i - 1));
    long size = std::stol(c[i][2]);
    EXPECT_LE(size, previous);
    previous = size;
    total += size;
  }
  EXPECT_EQ(total, 600);
  auto s = nlohmann::json::parse(read_file(out.file("summary.json")));
  EXPECT_EQ(s["users"], 600);
  EXPECT_EQ(s["k"], 3);
  EXPECT_FALSE(s["device"].get<std::string>().empty());
  auto m = nlohmann::json::parse(read_file(out.file("model.json")));
  EXPECT_EQ(m["k"], 3);
  EXPECT_EQ(m["segment_names"].size(), 3u);
  EXPECT_NE(r.err.find("segment"), std::string::npos);  // the table
}

TEST_F(ClusterCli, FindsWellSeparatedBlobs) {
  TempDir out;
  ASSERT_EQ(cluster(out.path().string()).exit_code, 0);
  // Row order of m.csv is the order of truth_; ids were written as u<(i*7919)%n+100000>.
  auto labels = csv_column_by_id(out.file("assignments.csv"), 1);
  std::vector<std::string> ours, planted;
  for (int i = 0; i < 600; ++i) {
    ours.push_back(labels.at("u" + std::to_string((i * 7919) % 600 + 100000)));
    planted.push_back(std::to_string(truth_[static_cast<std::size_t>(i)]));
  }
  EXPECT_GE(adjusted_rand_index(ours, planted), 0.99);
}

TEST_F(ClusterCli, TwoRunsAndThreadCountsGiveIdenticalFiles) {
  TempDir a, b, c;
  ASSERT_EQ(cluster(a.path().string(), {"--threads", "1"}).exit_code, 0);
  ASSERT_EQ(cluster(b.path().string(), {"--threads", "1"}).exit_code, 0);
  ASSERT_EQ(cluster(c.path().string(), {"--threads", "2"}).exit_code, 0);
  for (const char* f : {"assignments.csv", "centroids.csv", "model.json"}) {
    EXPECT_EQ(read_file(a.file(f)), read_file(b.file(f))) << f;
    EXPECT_EQ(read_file(a.file(f)), read_file(c.file(f))) << f;
  }
  // summary.json differs only in its timings
  auto sa = nlohmann::json::parse(read_file(a.file("summary.json")));
  auto sc = nlohmann::json::parse(read_file(c.file("summary.json")));
  sa.erase("timings_ms");
  sc.erase("timings_ms");
  sa.erase("device_detail");
  sc.erase("device_detail");
  EXPECT_EQ(sa, sc);
}

TEST_F(ClusterCli, GivenCentroidsAsIsReproduceTheFit) {
  TempDir first, again, from_model;
  ASSERT_EQ(cluster(first.path().string(), {"--transform", "none"}).exit_code, 0);
  auto r = cluster(again.path().string(),
                   {"--transform", "none", "--init", first.file("centroids.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(first.file("assignments.csv")), read_file(again.file("assignments.csv")));
  auto s = nlohmann::json::parse(read_file(again.file("summary.json")));
  EXPECT_LE(s["iterations"].get<int>(), 2);  // already a fixed point
  r = cluster(from_model.path().string(),
              {"--transform", "none", "--init", first.file("model.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(first.file("assignments.csv")),
            read_file(from_model.file("assignments.csv")));
}

TEST_F(ClusterCli, BadMatrixLeavesPreviousOutputsIntact) {
  TempDir out;
  ASSERT_EQ(cluster(out.path().string()).exit_code, 0);
  std::string before = read_file(out.file("assignments.csv"));
  std::string model = read_file(out.file("model.json"));
  write_file(out.file("bad.csv"), "user_id,a,b\nu1,1,2\nu2,3,x\n");
  auto r = run_cli({"cluster", "--matrix", out.file("bad.csv"), "--k", "2", "--out",
                    out.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.csv:3: column 'b': 'x' is not a number"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(out.file("assignments.csv")), before);
  EXPECT_EQ(read_file(out.file("model.json")), model);
  EXPECT_EQ(list_dir(out.path().string()),
            (std::vector<std::string>{".segmint", "assignments.csv", "bad.csv", "centroids.csv",
                                      "model.json", "summary.json"}));
  EXPECT_TRUE(one_generation_in(out.path().string()));
}

TEST_F(ClusterCli, RepeatedIdIsInputError) {
  TempDir out;
  write_file(out.file("dup.csv"), "id,a\nu1,1\nu2,2\nu1,3\n");
  auto r = run_cli({"cluster", "--matrix", out.file("dup.csv"), "--k", "2", "--out",
                    out.file("o")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("dup.csv:4: duplicate id 'u1' (first on line 2)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out.file("o")));
}

TEST_F(ClusterCli, MoreSegmentsThanUsersIsUsageError) {
  TempDir out;
  write_file(out.file("tiny.csv"), "id,a\nu1,1\nu2,2\n");
  auto r = run_cli({"cluster", "--matrix", out.file("tiny.csv"), "--k", "3", "--out",
                    out.file("o")});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(SegmentsTestData, AdjustedRandIndexByHand) {
  // contingency {2, 1, 1}: index 1, row pairs 2, column pairs 1, expected 1/3, max 3/2 -> 4/7
  EXPECT_NEAR(adjusted_rand_index({"0", "0", "1", "1"}, {"a", "a", "b", "c"}), 4.0 / 7.0, 1e-12);
  EXPECT_NEAR(adjusted_rand_index({"0", "0", "1"}, {"x", "x", "y"}), 1.0, 1e-12);
}

}  // namespace
}  // namespace segmint::test
