// summary.json's quality section (issue 19): filled, and its stability figure separates planted
// blobs from uniform noise of the same shape.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "segments_test_data.hpp"

namespace segmint::test {
namespace {

constexpr int kRows = 4000, kCols = 8, kBlobs = 6;

/// user_id,c0..c7: kBlobs planted blobs (noise = false) or uniform noise over the same box.
std::string matrix_csv(bool noise) {
  std::mt19937_64 rng(19);
  std::uniform_real_distribution<double> box(-6.0, 6.0);
  std::normal_distribution<double> spread(0.0, 0.6);
  std::vector<std::vector<double>> centers(kBlobs, std::vector<double>(kCols));
  for (auto& c : centers) {
    for (auto& v : c) v = box(rng);
  }
  std::ostringstream out;
  out << "user_id";
  for (int j = 0; j < kCols; ++j) out << ",c" << j;
  out << '\n';
  for (int i = 0; i < kRows; ++i) {
    out << "u" << i;
    for (int j = 0; j < kCols; ++j) out << ',' << (noise ? box(rng) : centers[i % kBlobs][j] + spread(rng));
    out << '\n';
  }
  return out.str();
}

nlohmann::json quality_of(TempDir& dir, bool noise) {
  const std::string name = noise ? "noise" : "blobs";
  write_file(dir.file(name + ".csv"), matrix_csv(noise));
  auto r = run_cli({"cluster", "--matrix", dir.file(name + ".csv"), "-k", std::to_string(kBlobs),
                    "--seed", "4", "--out", dir.file(name)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(read_file(dir.file(name + "/summary.json")))["quality"];
}

}  // namespace

TEST(Quality, StabilitySeparatesPlantedBlobsFromNoise) {
  TempDir dir;
  const nlohmann::json clean = quality_of(dir, false), noise = quality_of(dir, true);
  for (const auto* q : {&clean, &noise}) {
    ASSERT_TRUE(q->is_object());
    EXPECT_EQ((*q)["users"], kRows);
    EXPECT_TRUE((*q)["silhouette"].is_number());
    EXPECT_TRUE((*q)["stability"].is_number());
    EXPECT_EQ((*q)["segments"].size(), static_cast<std::size_t>(kBlobs));
  }
  const double s_clean = clean["stability"], s_noise = noise["stability"];
  EXPECT_GE(s_clean, 0.95);
  EXPECT_LE(s_noise, s_clean - 0.2) << "noise " << s_noise << " clean " << s_clean;
  EXPECT_EQ(clean["verdict"], "solid");
  EXPECT_NE(noise["verdict"], "solid");
  EXPECT_GT(clean["silhouette"].get<double>(), noise["silhouette"].get<double>());
  EXPECT_LT(clean["boundary_share"].get<double>(), noise["boundary_share"].get<double>());
}

TEST(Quality, OffLeavesTheSectionOut) {
  TempDir dir;
  write_file(dir.file("m.csv"), matrix_csv(false));
  auto r = run_cli({"cluster", "--matrix", dir.file("m.csv"), "-k", "3", "--quality", "off",
                    "--out", dir.file("o")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(nlohmann::json::parse(read_file(dir.file("o/summary.json"))).contains("quality"));
}

}  // namespace segmint::test
