// Nightly state files: label file framing and checks, model JSON round trip and validation.
#include <gtest/gtest.h>

#include "nightly/nightly_model.hpp"
#include "nightly/state_files.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::nightly {
namespace {
using test::read_file;
using test::TempDir;
using test::write_file;

TEST(NightlyFiles, LabelsRoundTripAndCorruptionIsInputError) {
  TempDir dir;
  std::vector<std::int32_t> labels = {3, -1, 0, 7};
  save_labels(labels, dir.file("labels.bin"));
  EXPECT_EQ(load_labels(dir.file("labels.bin")), labels);
  // 8 magic + 4 version + 8 count + 16 data + 8 checksum.
  std::string bytes = read_file(dir.file("labels.bin"));
  EXPECT_EQ(bytes.size(), 44u);
  bytes[20] ^= 1;  // flip a bit in the first label
  write_file(dir.file("bad.bin"), bytes);
  try {
    load_labels(dir.file("bad.bin"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
  write_file(dir.file("short.bin"), bytes.substr(0, 10));
  EXPECT_THROW(load_labels(dir.file("short.bin")), InputError);
  EXPECT_THROW(load_labels(dir.file("missing.bin")), InputError);
  EXPECT_THROW(load_dictionary(dir.file("labels.bin")), InputError);  // wrong kind of file
}

NightlyModel small_model() {
  NightlyModel m;
  m.scaler.names = {"a", "b"};
  m.scaler.source_columns = {0, 2};
  m.scaler.log1p = {1, 0};
  m.scaler.mean = {1.5, -2};
  m.scaler.stddev = {0.5, 4};
  m.scaler.weight = {1, 2};
  m.scaler.dropped_constant = {"c"};
  m.k = 2;
  m.d = 2;
  m.centroids = {0.25f, -1, 2, 3};
  m.center = {0.5f, -0.5f};
  m.spread = {1.5f, 2};
  m.ids = {4, 9};
  m.names = {"Champions", "At Risk"};
  m.next_id = 10;
  m.session_gap_seconds = 1800;
  m.tz_offset_minutes = -60;
  return m;
}

TEST(NightlyFiles, ModelJsonRoundTrip) {
  NightlyModel m = small_model();
  NightlyModel back = model_from_json(nlohmann::json::parse(to_json(m).dump()), "m");
  EXPECT_EQ(back.scaler.names, m.scaler.names);
  EXPECT_EQ(back.scaler.source_columns, m.scaler.source_columns);
  EXPECT_EQ(back.scaler.log1p, m.scaler.log1p);
  EXPECT_EQ(back.scaler.mean, m.scaler.mean);
  EXPECT_EQ(back.scaler.stddev, m.scaler.stddev);
  EXPECT_EQ(back.scaler.weight, m.scaler.weight);
  EXPECT_EQ(back.scaler.dropped_constant, m.scaler.dropped_constant);
  EXPECT_EQ(back.centroids, m.centroids);
  EXPECT_EQ(back.center, m.center);
  EXPECT_EQ(back.spread, m.spread);
  EXPECT_EQ(back.ids, m.ids);
  EXPECT_EQ(back.names, m.names);
  EXPECT_EQ(back.next_id, 10);
  EXPECT_EQ(back.session_gap_seconds, 1800);
  EXPECT_EQ(back.tz_offset_minutes, -60);
}

TEST(NightlyFiles, ModelJsonValidation) {
  auto j = to_json(small_model());
  j["centroids"] = {1, 2, 3};  // not k x d
  EXPECT_THROW(model_from_json(j, "m"), InputError);
  j = to_json(small_model());
  j["scaler"]["mean"] = {1};
  EXPECT_THROW(model_from_json(j, "m"), InputError);
  j = to_json(small_model());
  j["center"] = {1};
  EXPECT_THROW(model_from_json(j, "m"), InputError);
  j = to_json(small_model());
  j.erase("next_id");
  try {
    model_from_json(j, "state/manifest.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("state/manifest.json: ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace segmint::nightly
