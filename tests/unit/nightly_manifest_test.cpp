// The nightly state is read as untrusted input (issue 13, defect 7): ids that are duplicate,
// negative or near INT_MAX, and manifests that list no checksums or name files outside the
// state directory, are InputErrors (exit 2); id arithmetic cannot overflow.
#include <gtest/gtest.h>

#include <climits>
#include <functional>

#include "nightly/match.hpp"
#include "nightly/nightly_model.hpp"
#include "nightly/state_dir.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::nightly {
namespace {
using test::TempDir;
using test::write_file;

nlohmann::json model_json() {
  NightlyModel m;
  m.scaler.names = {"a", "b"};
  m.scaler.source_columns = {0, 2};
  m.scaler.log1p = {1, 0};
  m.scaler.mean = {1.5, -2};
  m.scaler.stddev = {0.5, 4};
  m.scaler.weight = {1, 2};
  m.k = 2;
  m.d = 2;
  m.centroids = {0.25f, -1, 2, 3};
  m.center = {0.5f, -0.5f};
  m.spread = {1.5f, 2};
  m.ids = {4, 9};
  m.names = {"Champions", "At Risk"};
  m.next_id = 10;
  m.session_gap_seconds = 1800;
  return to_json(m);
}

std::string model_error(const nlohmann::json& j) {
  try {
    model_from_json(j, "state/manifest.json");
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

TEST(NightlyManifest, BadIdsAreInputErrors) {
  EXPECT_EQ(model_error(model_json()), "");
  for (const nlohmann::json& ids : {nlohmann::json::array({4, 4}), nlohmann::json::array({-1, 9}),
                                    nlohmann::json::array({4, 2147483647}),
                                    nlohmann::json::array({4, 1e20})}) {
    nlohmann::json j = model_json();
    j["ids"] = ids;
    j["next_id"] = 2147483647;
    const std::string err = model_error(j);
    EXPECT_NE(err.find("state/manifest.json: state manifest field 'model."), std::string::npos)
        << ids << ": " << err;
  }
  nlohmann::json j = model_json();
  j["next_id"] = 9;  // not above every id: would hand out 9 twice
  EXPECT_NE(model_error(j).find("next_id"), std::string::npos);
  j = model_json();
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
