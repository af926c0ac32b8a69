// Segment names on the three shared real data sets (Online Retail II, REES46 sample, Taobao
// sample): no segmint column name in any name, names unique, and the segment with the highest
// frequency x monetary is Champions or Loyal. Skips when the data sets are absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "segments_test_data.hpp"
#include "segmint/features.hpp"

namespace segmint::test {
namespace {

struct RealData {
  const char* file;
  int k;
};
void PrintTo(const RealData& d, std::ostream* os) { *os << d.file << " k=" << d.k; }

std::string base_name(const std::string& name) {
  std::size_t sp = name.find_last_of(' ');
  if (sp != std::string::npos && name.find_first_not_of("0123456789", sp + 1) == std::string::npos)
    return name.substr(0, sp);
  return name;
}

/// Mean of column `name` per centroid row of centroids.csv.
std::vector<double> column(const std::vector<std::vector<std::string>>& rows,
                           const std::string& name) {
  auto it = std::find(rows[0].begin(), rows[0].end(), name);
  EXPECT_NE(it, rows[0].end()) << name;
  std::vector<double> out;
  if (it == rows[0].end()) return out;
  auto j = static_cast<std::size_t>(it - rows[0].begin());
  for (std::size_t i = 1; i < rows.size(); ++i) out.push_back(std::stod(rows[i][j]));
  return out;
}

class RealDataNames : public ::testing::TestWithParam<RealData> {};

TEST_P(RealDataNames, ReadableUniqueAndBestCustomersAreChampionsOrLoyal) {
  const auto path = shared_dataset(GetParam().file);
  if (!path) GTEST_SKIP() << GetParam().file << " not found (set SEGMINT_DATASETS)";
  TempDir out;
  auto r = run_cli({"run", "--events", *path, "--k", std::to_string(GetParam().k), "--seed", "1",
                    "--out", out.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = nlohmann::json::parse(read_file(out.file("summary.json")));
  std::vector<std::string> names;
  for (const auto& s : summary["segments"]) names.push_back(s["segment_name"]);
  ASSERT_EQ(names.size(), static_cast<std::size_t>(GetParam().k));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (const auto& n : names) {
    EXPECT_EQ(n.find('_'), std::string::npos) << n;
    for (const auto& f : feature_catalog()) EXPECT_EQ(n.find(f.name), std::string::npos) << n;
  }
  // Highest mean frequency x mean monetary; data without prices (Taobao) ranks by frequency.
  const auto rows = read_csv_rows(out.file("centroids.csv"));
  std::vector<double> freq = column(rows, "frequency"), money = column(rows, "monetary");
  ASSERT_EQ(freq.size(), names.size());
  bool priced = std::any_of(money.begin(), money.end(), [](double m) { return m != 0; });
  std::size_t best = 0;
  for (std::size_t c = 0; c < freq.size(); ++c) {
    double score = priced ? freq[c] * money[c] : freq[c];
    double top = priced ? freq[best] * money[best] : freq[best];
    if (score > top) best = c;
  }
  const std::string name = base_name(rows[best + 1][1]);
  EXPECT_TRUE(name == "Champions" || name == "Loyal") << "segment " << best << ": " << name;
}

INSTANTIATE_TEST_SUITE_P(SharedData, RealDataNames,
                         ::testing::Values(RealData{"online_retail_II_2009-2010.csv.gz", 6},
                                           RealData{"online_retail_II_2009-2010.csv.gz", 8},
                                           RealData{"2019-Oct_head17k.csv", 5},
                                           RealData{"2019-Oct_head17k.csv", 8},
                                           RealData{"taobao_userbehavior_814users.csv.gz", 4},
                                           RealData{"taobao_userbehavior_814users.csv.gz", 6}),
                         [](const auto& info) {
                           std::string f = info.param.file;
                           return f.substr(0, f.find_first_of("_-.")) + "_k" +
                                  std::to_string(info.param.k);
                         });

}  // namespace
}  // namespace segmint::test
