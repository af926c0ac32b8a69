// Every number read from model.json is range-checked (issue 13, defect 5): out-of-range, wrongly
// typed or overflowing fields are an InputError naming the file and the field (exit 2), never an
// "internal error" (exit 3) or a float->int conversion with undefined behaviour.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "outputs/model.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {
namespace {

Model good_model() {
  Model m;
  m.feature_catalog = {"recency_days", "frequency", "monetary"};
  m.scaler.names = {"recency_days", "monetary"};
  m.scaler.source_columns = {0, 2};
  m.scaler.log1p = {0, 1};
  m.scaler.mean = {12.5, 3.25};
  m.scaler.stddev = {4.0, 0.1};
  m.scaler.weight = {1.0, 2.0};
  m.k = 2;
  m.d = 2;
  m.centroids = {0.1f, -1.0f, 2.5f, 1e-7f};
  m.names = {"Champions", "At Risk"};
  m.sizes = {7, 3};
  m.seed = 42;
  m.inertia = 0.5;
  m.as_of = 1700000000;
  m.min_time = 1690000000;
  m.max_time = 1700000000;
  return m;
}

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
  nlohmann::json j = nlohmann::json::parse(model_to_json(good_model()));
  j[nlohmann::json::json_pointer(pointer)] = value;
  return error_of(j.dump());
}

TEST(ModelRanges, GoodModelReads) { EXPECT_EQ(error_of(model_to_json(good_model())), ""); }

TEST(ModelRanges, NumberOverflowInTheTextIsInputError) {
  std::string text = model_to_json(good_model());
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
