// segmint sweep on a feature table: metrics per k, a recommended k, JSON output, option errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "test_support.hpp"

namespace segmint::test {

namespace {
// Three tight, far-apart blobs in 2-D: k = 3 is the obvious answer.
std::string three_blobs(const TempDir& dir) {
  std::mt19937 gen(3);
  std::normal_distribution<double> g(0, 0.5);
  const double cx[3] = {0, 20, 0}, cy[3] = {0, 0, 20};
  std::string text = "user_id,x,y\n";
  char buf[96];
  for (int i = 0; i < 300; ++i) {
    std::snprintf(buf, sizeof buf, "u%d,%.6f,%.6f\n", i, cx[i % 3] + g(gen), cy[i % 3] + g(gen));
    text += buf;
  }
  write_file(dir.file("m.csv"), text);
  return dir.file("m.csv");
}
}  // namespace

TEST(SweepCli, JsonHasOneRowPerKAndRecommendsPlantedK) {
  TempDir dir;
  auto r = run_cli({"sweep", "--matrix", three_blobs(dir), "--k", "2..5", "--transform", "none",
                    "--device", "cpu", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["results"].size(), 4u);
  EXPECT_EQ(j["recommended_k"], 3);
  double previous = 1e300;
  for (int i = 0; i < 4; ++i) {
    const auto& row = j["results"][i];
    EXPECT_EQ(row["k"], 2 + i);
    EXPECT_LT(row["inertia"].get<double>(), previous);  // more clusters, less inertia here
    previous = row["inertia"];
  }
  EXPECT_GT(j["results"][1]["silhouette"].get<double>(), 0.9);
  EXPECT_LT(j["results"][1]["davies_bouldin"].get<double>(),
            j["results"][0]["davies_bouldin"].get<double>());
  EXPECT_FALSE(j["silhouette_sampled"].get<bool>());
}

TEST(SweepCli, TableIsDeterministicAcrossThreads) {
  TempDir dir;
  auto m = three_blobs(dir);
  auto a = run_cli({"sweep", "--matrix", m, "--k=2..4", "--transform", "none", "--threads", "1"});
  auto b = run_cli({"sweep", "--matrix", m, "--k=2..4", "--transform", "none", "--threads", "2"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.find("recommended k: 3"), std::string::npos) << a.out;
}

TEST(SweepCli, BadOptionsAreUsageErrors) {
  TempDir dir;
  auto m = three_blobs(dir);
  for (std::vector<std::string> args : {std::vector<std::string>{"--k", "5..2"},
                                        {"--k", "1..3"},
                                        {"--k", "x"},
                                        {"--init", "nope"},
                                        {"--max-iter", "0"},
                                        {"--tol", "-1"},
                                        {"--n-init", "0"},
                                        {"--seed", "-4"},
                                        {"--threads", "-1"},
                                        {"--device", "tpu"},
                                        {"--gpu-memory", "12X"},
                                        {"--transform", "sqrt"},
                                        {"--weight-by", "nosuch"}}) {
    std::vector<std::string> full{"sweep", "--matrix", m, "--transform", "none"};
    full.insert(full.end(), args.begin(), args.end());
    auto r = run_cli(full);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << ": " << r.err;
  }
  EXPECT_EQ(run_cli({"sweep", "--k", "2..3"}).exit_code, 2);  // no --matrix
}

TEST(SweepCli, BadMatrixIsInputErrorWithLine) {
  TempDir dir;
  write_file(dir.file("bad.csv"), "id,x\nu1,1\nu2,oops\n");
  auto r = run_cli({"sweep", "--matrix", dir.file("bad.csv"), "--transform", "none"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir.file("bad.csv") + ":3: column 'x'"), std::string::npos) << r.err;
}

TEST(SweepCli, InitFileFixesK) {
  TempDir dir;
  auto m = three_blobs(dir);
  write_file(dir.file("c.csv"), "segment,x,y\n0,1,1\n1,19,1\n2,1,19\n");
  auto r = run_cli({"sweep", "--matrix", m, "--transform", "none", "--init", dir.file("c.csv"),
                    "--k", "3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["results"][0]["k"], 3);
  auto range = run_cli(
      {"sweep", "--matrix", m, "--transform", "none", "--init", dir.file("c.csv"), "--k", "2..4"});
  EXPECT_EQ(range.exit_code, 2);
}

TEST(SweepCli, ZscoreTransformIsApplied) {
  // After z-scoring, the total sum of squares is rows x features = 600 exactly, and a k-means
  // inertia can only be below it; raw, the blobs 20 apart give far more.
  TempDir dir;
  auto m = three_blobs(dir);
  auto z = run_cli({"sweep", "--matrix", m, "--k", "2", "--transform", "zscore", "--json"});
  auto raw = run_cli({"sweep", "--matrix", m, "--k", "2", "--transform", "none", "--json"});
  ASSERT_EQ(z.exit_code, 0) << z.err;
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_LT(nlohmann::json::parse(z.out)["results"][0]["inertia"].get<double>(), 600.0);
  EXPECT_GT(nlohmann::json::parse(raw.out)["results"][0]["inertia"].get<double>(), 600.0);
}

}  // namespace segmint::test
