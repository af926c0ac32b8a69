// The run record's steps (host/pipeline/run_record.hpp): what each step fills in, the stage
// timings, the --weight-by rule, --init, and that composing the steps in two calls (nightly's
// merge) gives what one call gives.
#include <gtest/gtest.h>

#include <random>

#include "backend_support.hpp"
#include "common/text.hpp"
#include "pipeline/run_record.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::pipeline {
namespace {

const char* kHeader =
    "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";

// A REES46-shaped day of `users` users; a third of them buy, some only look.
std::string day_log(int day, int users, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out = kHeader;
  char buf[160];
  for (int u = 0; u < users; ++u) {
    const int events = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < events; ++e) {
      const char* type = e == events - 1 && u % 3 == 0 ? "purchase" : (e % 2 ? "cart" : "view");
      std::snprintf(buf, sizeof buf, "2019-10-%02d %02d:%02d:00 UTC,%s,%d,%d,,,%d.50,u%03d,s%d\n",
                    day, 8 + e, static_cast<int>(rng() % 60), type, 100 + e, 7 + u % 4, 10 + u % 90,
                    u, u);
      out += buf;
    }
  }
  return out;
}

std::vector<std::string> stage_names(const RunRecord& r) {
  std::vector<std::string> names;
  for (const auto& [stage, ms] : r.timings) names.push_back(stage);
  return names;
}

// A record on the CPU backend, as the event commands open it before their feature stage.
RunRecord cpu_record() {
  RunRecord r;
  use_backend(r, test::cpu_backend(1), "");
  return r;
}

TEST(RunRecord, ReadAndFeaturesFillTheirFieldsAndTimings) {
  test::TempDir dir;
  test::write_file(dir.file("a.csv"), day_log(1, 40, 1));
  RunRecord r = cpu_record();
  read_features(r, {dir.file("a.csv")}, {}, {}, {});
  EXPECT_EQ(r.source, "events");
  EXPECT_EQ(r.users.size(), 40u);
  EXPECT_GT(r.counts.events, 40u);
  EXPECT_EQ(r.min_time, r.counts.min_time);
  EXPECT_EQ(r.raw.rows, 40u);
  EXPECT_EQ(r.table.users(), 0u) << "the table is not kept unless asked for";
  EXPECT_EQ(r.row_ids(), r.users.ids());
  EXPECT_EQ(r.as_of, r.counts.max_time);
  EXPECT_EQ(stage_names(r), (std::vector<std::string>{"read", "aggregate", "features"}));
  RunRecord kept = cpu_record();
  read_features(kept, {dir.file("a.csv")}, {}, {}, {}, /*keep_table=*/true);
  EXPECT_EQ(kept.table.users(), 40u);
  EXPECT_EQ(kept.raw.values, r.raw.values);
}

TEST(RunRecord, TwoReadsIntoOneRecordEqualOneReadOfBoth) {
  // Nightly merges tonight's files into the state's table with the same step `run` uses.
  test::TempDir dir;
  test::write_file(dir.file("a.csv"), day_log(1, 30, 2));
  test::write_file(dir.file("b.csv"), day_log(2, 50, 3));
  RunRecord once = cpu_record(), twice = cpu_record();
  read_features(once, {dir.file("a.csv"), dir.file("b.csv")}, {}, {}, {});
  read_features(twice, {dir.file("a.csv")}, {}, {}, {}, /*keep_table=*/true);
  read_features(twice, {dir.file("b.csv")}, {}, {}, {}, /*keep_table=*/true);
  EXPECT_EQ(twice.table.users(), 50u);
  EXPECT_EQ(once.users.ids(), twice.users.ids());
  EXPECT_EQ(once.raw.values, twice.raw.values);
  EXPECT_EQ(stage_names(twice), (std::vector<std::string>{"read", "aggregate", "features"}));
}

RunRecord matrix_record(test::TempDir& dir, const std::string& csv) {
  test::write_file(dir.file("m.csv"), csv);
  RunRecord r;
  r.command = "cluster";
  read_matrix(r, dir.file("m.csv"));
  return r;
}

std::string blobs_csv() {
  std::string csv = "id,a,b,c\n";
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0.f, 0.3f);
  for (int i = 0; i < 60; ++i) {
    const float cx = static_cast<float>((i % 3) * 10);
    csv += "u" + std::to_string(i) + ",";
    append_shortest(csv, cx + noise(rng));
    csv += ",";
    append_shortest(csv, -cx + noise(rng));
    csv += ",7\n";  // constant: left out of clustering
  }
  return csv;
}

TEST(RunRecord, MatrixRunComposesFitProfileNameDescribe) {
  test::TempDir dir;
  RunRecord r = matrix_record(dir, blobs_csv());
  r.params.k = 3;
  r.params.seed = 4;
  EXPECT_THROW(fit_kmeans(r), RuntimeError);  // no backend yet
  const TransformOptions zscore{TransformOptions::Kind::zscore, {}, {}};
  EXPECT_THROW(scale(r, zscore), RuntimeError);  // scaling runs on the backend too
  use_backend(r, test::cpu_backend(1), "");
  scale(r, zscore);
  EXPECT_EQ(r.transform, "zscore");
  EXPECT_EQ(r.scaler.dropped_constant, std::vector<std::string>{"c"});
  EXPECT_EQ(r.x.cols, 2u);
  segment(r);
  describe(r);
  EXPECT_EQ(r.model.source, "matrix");
  EXPECT_EQ(r.model.k, 3);
  EXPECT_EQ(r.model.d, 2);
  EXPECT_EQ(r.model.sizes, (std::vector<std::int64_t>{20, 20, 20}));
  EXPECT_EQ(r.model.feature_catalog, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.summary.command, "cluster");
  EXPECT_EQ(r.summary.users, 60u);
  EXPECT_EQ(r.summary.device, "cpu");
  EXPECT_EQ(r.summary.segment_names.size(), 3u);
  EXPECT_EQ(stage_names(r), (std::vector<std::string>{"read", "features", "kmeans"}));
  EXPECT_EQ(r.row_ids().front(), "u0");

  write_run(r, dir.file("out"));
  for (const char* f : {"assignments.csv", "centroids.csv", "summary.json", "model.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.file(std::string("out/") + f))) << f;
  }
  // assign with the record's own model reproduces the fit's labels.
  RunRecord again = matrix_record(dir, blobs_csv());
  scale_with(again, r.model.scaler, r.model.transform);
  use_backend(again, test::cpu_backend(1), "");
  assign_to_model(again, r.model);
  EXPECT_EQ(again.seg.fit.labels, r.seg.fit.labels);
}

TEST(RunRecord, WeightByClampsNegativeValuesToZeroInEveryCommand) {
  test::TempDir dir;
  RunRecord r = matrix_record(dir, "id,monetary,x\nu1,10,1\nu2,-4.5,2\nu3,0,3\nu4,2.5,4\n");
  weigh_users(r, "");
  EXPECT_TRUE(r.weights.empty());
  EXPECT_EQ(r.weight_data(), nullptr);
  weigh_users(r, "monetary");
  EXPECT_EQ(r.weights, (std::vector<float>{10, 0, 0, 2.5f}));
  EXPECT_EQ(r.weight_by, "monetary");
  EXPECT_THROW(weigh_users(r, "nosuch"), UsageError);
}

TEST(RunRecord, InitFileSetsKAndGivenCentroids) {
  test::TempDir dir;
  RunRecord r = matrix_record(dir, blobs_csv());
  scale_as_is(r);
  EXPECT_EQ(r.x.values, r.raw.values);
  EXPECT_EQ(r.scaler.names, r.raw.names);
  r.params.n_init = 4;
  test::write_file(dir.file("c.csv"), "segment,c,b,a\n0,7,0,0\n1,7,-10,10\n");
  apply_init_file(r, dir.file("c.csv"));
  EXPECT_EQ(r.params.k, 2);
  EXPECT_EQ(r.params.init, InitMethod::given);
  EXPECT_EQ(r.params.n_init, 1);
  EXPECT_EQ(r.params.initial_centroids, (std::vector<float>{0, 0, 7, 10, -10, 7}));
}

TEST(RunRecord, AddTimingAccumulatesInFirstSeenOrder) {
  RunRecord r;
  add_timing(r, "features", 2);
  add_timing(r, "kmeans", 1);
  add_timing(r, "features", 3);
  ASSERT_EQ(r.timings.size(), 2u);
  EXPECT_EQ(r.timings[0], (std::pair<std::string, double>{"features", 5}));
}

}  // namespace
}  // namespace segmint::pipeline
