// Nightly state files: label file framing and checks, model JSON round trip and validation,
// and the state read as untrusted input.
#include <gtest/gtest.h>

#include <functional>

#include "nightly/match.hpp"
#include "nightly/nightly_model.hpp"
#include "nightly/state_dir.hpp"
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

// The nightly state is read as untrusted input (issue 13, defect 7): ids that are duplicate,
// negative or near INT_MAX, and manifests that list no checksums or name files outside the
// state directory, are InputErrors (exit 2); id arithmetic cannot overflow.
std::string model_error(const nlohmann::json& j) {
  try {
    model_from_json(j, "state/manifest.json");
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

TEST(NightlyManifest, BadIdsAreInputErrors) {
  EXPECT_EQ(model_error(to_json(small_model())), "");
  for (const nlohmann::json& ids : {nlohmann::json::array({4, 4}), nlohmann::json::array({-1, 9}),
                                    nlohmann::json::array({4, 2147483647}),
                                    nlohmann::json::array({4, 1e20})}) {
    nlohmann::json j = to_json(small_model());
    j["ids"] = ids;
    j["next_id"] = 2147483647;
    const std::string err = model_error(j);
    EXPECT_NE(err.find("state/manifest.json: state manifest field 'model."), std::string::npos)
        << ids << ": " << err;
  }
  nlohmann::json j = to_json(small_model());
  j["next_id"] = 9;  // not above every id: would hand out 9 twice
  EXPECT_NE(model_error(j).find("next_id"), std::string::npos);
  j = to_json(small_model());
  j["k"] = 1e20;
  EXPECT_NE(model_error(j).find("'model.k'"), std::string::npos);
}

TEST(NightlyManifest, MatchNeverOverflowsIds) {
  PreviousSegments prev{{0.f, 0.f}, {2147483647}, {"A"}};
  EXPECT_THROW(match_segments(prev, {5.f, 5.f, 0.f, 0.f}, 2, 2, 0.5, 0), InputError);
  PreviousSegments ok{{0.f, 0.f}, {7}, {"A"}};
  MatchResult r = match_segments(ok, {5.f, 5.f, 0.f, 0.f}, 2, 2, 0.5, 8);
  EXPECT_EQ(r.ids[1], 7);
  EXPECT_EQ(r.ids[0], 8);
}

// A committed state whose manifest is then edited (as an attacker or a bad hand edit would).
struct EditedState {
  TempDir dir;
  StateDir sd{dir.path().string()};
  std::string manifest() const { return sd.state_path() + "/manifest.json"; }
  EditedState() {
    std::string staged = sd.begin_state();
    for (const char* f : {"table.bin", "users.bin", "labels.bin"}) write_file(staged + "/" + f, f);
    Manifest m;
    m.as_of = 1700000000;
    m.run = run_name(m.as_of);
    sd.commit_state(staged, m);
  }
  std::string load_error(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(test::read_file(manifest()));
    edit(j);
    write_file(manifest(), j.dump());
    try {
      auto m = sd.load();
      for (const char* f : {"table.bin", "users.bin", "labels.bin"}) sd.verified_file(*m, f);
      return "";
    } catch (const InputError& e) {
      return e.what();
    }
  }
};

TEST(NightlyManifest, EmptyFileListDoesNotSkipChecksums) {
  EditedState s;
  EXPECT_EQ(s.load_error([](nlohmann::json&) {}), "");
  const std::string err = s.load_error([](nlohmann::json& j) { j["files"] = nlohmann::json::object(); });
  EXPECT_NE(err.find("lists no checksum for"), std::string::npos) << err;
}

TEST(NightlyManifest, PathsStayInsideTheStateDirectory) {
  EditedState s;
  std::string err = s.load_error(
      [](nlohmann::json& j) { j["files"]["../../../../etc/hostname"] = "1:0000000000000000"; });
  EXPECT_NE(err.find("not a file name inside the state directory"), std::string::npos) << err;
  err = s.load_error([](nlohmann::json& j) { j["run"] = "../../elsewhere"; });
  EXPECT_NE(err.find("'run'"), std::string::npos) << err;
  err = s.load_error([](nlohmann::json& j) { j["as_of"] = 1e300; });
  EXPECT_NE(err.find("'as_of'"), std::string::npos) << err;
}

}  // namespace
}  // namespace segmint::nightly
