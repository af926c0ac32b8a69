// segmint sweep --events: the run pipeline's features swept over a k range, JSON and table
// output, and the options that only make sense with one kind of input.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace segmint::test {
namespace {

class SweepEvents : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    auto g = run_cli({"generate", "--users", "1500", "--seed", "3", "--out", dir_->file("data")});
    generated_ = g.exit_code == 0;
    if (!generated_) std::fprintf(stderr, "generate failed: %s\n", g.err.c_str());
  }
  static void TearDownTestSuite() { delete dir_; }
  void SetUp() override { ASSERT_TRUE(generated_) << "segmint generate failed"; }
  static std::string events() { return dir_->file("data/events.csv"); }
  static CliResult sweep(std::vector<std::string> extra) {
    std::vector<std::string> args = {"sweep", "--events", events(), "--seed", "1",
                                     "--device", "cpu"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  static TempDir* dir_;
  static bool generated_;
};
TempDir* SweepEvents::dir_ = nullptr;
bool SweepEvents::generated_ = false;

TEST_F(SweepEvents, JsonHasEveryKAndRecommendsTheBestSilhouette) {
  auto r = sweep({"--k", "2..6", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["events"], nlohmann::json::array({events()}));
  EXPECT_EQ(j["users"], 1500);
  EXPECT_EQ(j["rows"], 1500);
  EXPECT_EQ(j["transform"], "log1p-zscore");  // the events default, as in `segmint run`
  EXPECT_EQ(j["features"], j["features_used"].size());
  ASSERT_EQ(j["results"].size(), 5u);
  int best_k = 0;
  double best = -2;
  for (int i = 0; i < 5; ++i) {
    const auto& row = j["results"][i];
    EXPECT_EQ(row["k"], 2 + i);
    const double s = row["silhouette"].get<double>();
    EXPECT_GE(s, -1.0);
    EXPECT_LE(s, 1.0);
    EXPECT_GT(row["inertia"].get<double>(), 0);
    if (s > best) best = s, best_k = 2 + i;
  }
  EXPECT_EQ(j["recommended_k"], best_k);
  EXPECT_GE(j["recommended_k"].get<int>(), 2);
  EXPECT_LE(j["recommended_k"].get<int>(), 6);
}

TEST_F(SweepEvents, TableListsEveryKAndIsDeterministic) {
  auto a = sweep({"--k=3..5", "--threads", "1"});
  auto b = sweep({"--k=3..5", "--threads", "2"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  for (const char* k : {"\n   3 ", "\n   4 ", "\n   5 "})
    EXPECT_NE(a.out.find(k), std::string::npos) << k << " in\n" << a.out;
  EXPECT_EQ(a.out.find("\n   2 "), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("recommended k: "), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("1500 rows"), std::string::npos) << a.out;
}

TEST_F(SweepEvents, FeatureOptionsReachThePipeline) {
  // --features rfm keeps the four RFM columns; zscore is taken instead of the default.
  auto r = sweep({"--k", "2..3", "--features", "rfm", "--transform", "zscore",
                  "--weight-by", "monetary", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["features_used"], nlohmann::json::array({"recency_days", "frequency", "monetary",
                                                       "avg_order_value"}));
  EXPECT_EQ(j["features"], 4);
  EXPECT_EQ(j["transform"], "zscore");
  EXPECT_EQ(j["results"].size(), 2u);
}

TEST_F(SweepEvents, BadRangesAndMixedInputsExitTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--k", "6..2"},
                                        {"--k", "1..4"},
                                        {"--k", "2..x"},
                                        {"--k", "2...4"},
                                        {"--k", "2..4", "--init", "c.csv"},
                                        {"--k", "2..4", "--matrix", "m.csv"},
                                        {"--k", "2..4", "--as-of", "soon"},
                                        {"--k", "2..4", "--weight-by", "nosuch"},
                                        {"--k", "2..4", "--transform", "log"}}) {
    auto r = sweep(args);
    EXPECT_EQ(r.exit_code, 2) << args[1] << ": " << r.err;
    EXPECT_EQ(r.out, "") << args[1];
  }
}

TEST(SweepCliOptions, HelpListsEachOptionOnce) {
  auto r = run_cli({"sweep", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Option lines only ("--transform arg"): the description names some options too.
  for (const char* opt : {"--transform", "--events", "--matrix", "--features", "--seed"}) {
    const std::string needle = std::string(opt) + " arg";
    const std::size_t first = r.out.find(needle);
    ASSERT_NE(first, std::string::npos) << opt << " in\n" << r.out;
    EXPECT_EQ(r.out.find(needle, first + 1), std::string::npos) << opt << " twice in\n" << r.out;
  }
}

TEST(SweepCliOptions, EventsOnlyOptionsAreRefusedWithMatrix) {
  TempDir dir;
  write_file(dir.file("m.csv"), "id,x\nu1,1\nu2,2\nu3,3\nu4,9\n");
  auto ok = run_cli({"sweep", "--matrix", dir.file("m.csv"), "--k", "2", "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(nlohmann::json::parse(ok.out)["transform"], "zscore");  // the matrix default
  for (const char* opt : {"--as-of", "--session-gap", "--tz-offset", "--features", "--schema"}) {
    auto r = run_cli({"sweep", "--matrix", dir.file("m.csv"), "--k", "2", opt, "1"});
    EXPECT_EQ(r.exit_code, 2) << opt << ": " << r.err;
    EXPECT_NE(r.err.find(std::string(opt) + " applies to --events only"), std::string::npos)
        << r.err;
  }
}

}  // namespace
}  // namespace segmint::test
