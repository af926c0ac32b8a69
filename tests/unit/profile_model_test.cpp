// model.json round trip and validation; --init files (CSV by column name, model.json).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pipeline/init_file.hpp"
#include "outputs/model.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::pipeline {
namespace {

Model sample_model() {
  Model m;
  m.feature_catalog = {"recency_days", "frequency", "monetary"};
  m.transform = "log1p-zscore";
  m.scaler.names = {"recency_days", "monetary"};
  m.scaler.source_columns = {0, 2};
  m.scaler.log1p = {0, 1};
  m.scaler.mean = {12.5, 3.25};
  m.scaler.stddev = {4.0, 0.1};
  m.scaler.weight = {1.0, 2.0};
  m.scaler.dropped_constant = {"frequency"};
  m.k = 2;
  m.d = 2;
  m.centroids = {0.1f, -1.0f / 3.0f, 2.5f, 1e-7f};
  m.names = {"Champions", "At Risk"};
  m.sizes = {7, 3};
  m.seed = 42;
  m.inertia = 1.0 / 3.0;
  m.as_of = 1700000000;
  m.min_time = 1690000000;
  m.max_time = 1700000000;
  m.aggregate.session_gap_seconds = 900;
  m.aggregate.tz_offset_minutes = -300;
  m.weight_by = "monetary";
  return m;
}

TEST(ProfileModel, RoundTripIsExact) {
  Model m = sample_model();
  std::string text = model_to_json(m);
  Model r = model_from_json(text, "model.json");
  EXPECT_EQ(r.feature_catalog, m.feature_catalog);
  EXPECT_EQ(r.scaler.names, m.scaler.names);
  EXPECT_EQ(r.scaler.source_columns, m.scaler.source_columns);
  EXPECT_EQ(r.scaler.log1p, m.scaler.log1p);
  EXPECT_EQ(r.scaler.mean, m.scaler.mean);
  EXPECT_EQ(r.scaler.stddev, m.scaler.stddev);
  EXPECT_EQ(r.scaler.weight, m.scaler.weight);
  EXPECT_EQ(r.scaler.dropped_constant, m.scaler.dropped_constant);
  EXPECT_EQ(r.centroids, m.centroids);  // bit-identical floats
  EXPECT_EQ(r.names, m.names);
  EXPECT_EQ(r.sizes, m.sizes);
  EXPECT_EQ(r.seed, 42u);
  EXPECT_EQ(r.inertia, m.inertia);
  EXPECT_EQ(r.as_of, m.as_of);
  EXPECT_EQ(r.min_time, m.min_time);
  EXPECT_EQ(r.aggregate.session_gap_seconds, 900);
  EXPECT_EQ(r.aggregate.tz_offset_minutes, -300);
  EXPECT_EQ(r.weight_by, "monetary");
  EXPECT_EQ(model_to_json(r), text);
}

TEST(ProfileModel, DamagedModelsAreInputErrors) {
  std::string good = model_to_json(sample_model());
  EXPECT_THROW(model_from_json("{not json", "m.json"), InputError);
  EXPECT_THROW(model_from_json("[1,2]", "m.json"), InputError);
  std::string v3 = good;  // a version newer than this segmint reads
  v3.replace(v3.find("\"format_version\": 1"), 19, "\"format_version\": 3");
  try {
    model_from_json(v3, "m.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("m.json: model format version 3"), std::string::npos);
  }
  std::string k3 = good;
  k3.replace(k3.find("\"k\": 2"), 6, "\"k\": 3");
  EXPECT_THROW(model_from_json(k3, "m.json"), InputError);
}

TEST(ProfileModel, TransformNames) {
  EXPECT_EQ(parse_transform("none"), TransformOptions::Kind::none);
  EXPECT_EQ(transform_name(parse_transform("log1p-zscore")), "log1p-zscore");
  EXPECT_THROW(parse_transform("log"), UsageError);
}

Scaler identity_scaler(const std::vector<std::string>& names) {
  Scaler s;
  s.names = names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    s.source_columns.push_back(static_cast<int>(i));
    s.log1p.push_back(0);
    s.mean.push_back(0);
    s.stddev.push_back(1);
    s.weight.push_back(1);
  }
  return s;
}

TEST(ProfileInit, CsvColumnsMatchedByNameAndSegmentColumnsIgnored) {
  test::TempDir dir;
  test::write_file(dir.file("c.csv"),
                   "segment,segment_name,size,b,a\n0,\"Big, Spenders\",5,2.5,1\n1,x,3,-4,0.25\n");
  int k = 0;
  auto c = load_initial_centroids(dir.file("c.csv"), identity_scaler({"a", "b"}), {"a", "b"},
                                  true, &k);
  EXPECT_EQ(k, 2);
  EXPECT_EQ(c, (std::vector<float>{1, 2.5f, 0.25f, -4}));
}

TEST(ProfileInit, BadCsvNamesFileAndLine) {
  test::TempDir dir;
  test::write_file(dir.file("c.csv"), "a,b\n1,2\n3,oops\n");
  int k = 0;
  try {
    load_initial_centroids(dir.file("c.csv"), identity_scaler({"a", "b"}), {"a", "b"}, true, &k);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("c.csv:3: 'oops'"), std::string::npos) << e.what();
  }
  test::write_file(dir.file("d.csv"), "a\n1\n");
  EXPECT_THROW(load_initial_centroids(dir.file("d.csv"), identity_scaler({"a", "b"}), {"a", "b"},
                                      true, &k),
               InputError);  // no column for b
  test::write_file(dir.file("e.csv"), "a,b,zzz\n1,2,3\n");
  EXPECT_THROW(load_initial_centroids(dir.file("e.csv"), identity_scaler({"a", "b"}), {"a", "b"},
                                      true, &k),
               InputError);  // unknown column
}

TEST(ProfileInit, ModelJsonGivesItsCentroids) {
  test::TempDir dir;
  Model m = sample_model();
  test::write_file(dir.file("model.json"), model_to_json(m));
  int k = 0;
  auto c = load_initial_centroids(dir.file("model.json"), m.scaler, m.feature_catalog, false, &k);
  EXPECT_EQ(k, 2);
  EXPECT_EQ(c, m.centroids);
  EXPECT_THROW(load_initial_centroids(dir.file("model.json"), identity_scaler({"x", "y"}),
                                      {"x", "y"}, false, &k),
               InputError);
}

// Every number read from model.json is range-checked (issue 13, defect 5): out-of-range, wrongly
// typed or overflowing fields are an InputError naming the file and the field (exit 2), never an
// "internal error" (exit 3) or a float->int conversion with undefined behaviour.
std::string error_of(const std::string& text) {
  try {
    model_from_json(text, "runs/x/model.json");
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

// Sets the field at `pointer` (JSON pointer) to `value` and returns the parse error.
std::string error_with(const std::string& pointer, const nlohmann::json& value) {
  nlohmann::json j = nlohmann::json::parse(model_to_json(sample_model()));
  j[nlohmann::json::json_pointer(pointer)] = value;
  return error_of(j.dump());
}

TEST(ModelRanges, NumberOverflowInTheTextIsInputError) {
  std::string text = model_to_json(sample_model());
  const std::string seed = "\"seed\": 42";
  ASSERT_NE(text.find(seed), std::string::npos);
  text.replace(text.find(seed), seed.size(), "\"seed\": 1e400");
  const std::string err = error_of(text);  // was exit 3 "internal error"
  EXPECT_EQ(err.rfind("runs/x/model.json: ", 0), 0u) << err;
  EXPECT_NE(err.find("1e400"), std::string::npos) << err;
}

struct BadField {
  const char* pointer;
  nlohmann::json value;
  const char* field;
};

TEST(ModelRanges, EveryFieldIsRangeChecked) {
  const BadField cases[] = {
      {"/k", 1e20, "'k'"},               // float -> int was undefined behaviour
      {"/k", 2.5, "'k'"},
      {"/k", 0, "'k'"},
      {"/k", "2", "'k'"},
      {"/d", -1, "'d'"},
      {"/seed", -1, "'seed'"},
      {"/seed", 1.5, "'seed'"},
      {"/inertia", nullptr, "'inertia'"},  // what an inf inertia used to be written as
      {"/inertia", -1, "'inertia'"},
      {"/format_version", 1e30, "'format_version'"},
      {"/centroids/0/0", 1e30, "'centroids'"},
      {"/centroids/1", nlohmann::json::array({1}), "'centroids'"},
      {"/segment_sizes/0", -3, "'segment_sizes'"},
      {"/segment_ids", nlohmann::json::array({0, -1}), "'segment_ids'"},
      {"/segment_ids", nlohmann::json::array({5, 5}), "'segment_ids'"},
      {"/segment_ids", nlohmann::json::array({0, 2147483647}), "'segment_ids'"},
      {"/scaler/source_columns/1", 3, "'scaler.source_columns'"},
      {"/scaler/log1p/0", 300, "'scaler.log1p'"},
      {"/scaler/stddev/0", 0, "'scaler.stddev'"},
      {"/scaler/weight/0", -1, "'scaler.weight'"},
      {"/scaler/mean", nlohmann::json::array({1}), "'scaler.mean'"},
      {"/data/as_of", 9.3e18, "'data.as_of'"},
      {"/data/max_time", 253402300800LL, "'data.max_time'"},
      {"/feature_options/session_gap_seconds", 0, "'feature_options.session_gap_seconds'"},
      {"/feature_options/tz_offset_minutes", 99999, "'feature_options.tz_offset_minutes'"},
      {"/transform", "log", "'transform'"},
      {"/source", "csv", "'source'"},
  };
  for (const BadField& c : cases) {
    const std::string err = error_with(c.pointer, c.value);
    EXPECT_EQ(err.rfind("runs/x/model.json: ", 0), 0u) << c.pointer << ": " << err;
    EXPECT_NE(err.find(c.field), std::string::npos) << c.pointer << ": " << err;
  }
}

}  // namespace
}  // namespace segmint::pipeline
