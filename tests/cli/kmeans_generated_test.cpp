// Planted archetypes (issue 4): on `segmint generate` data, the features CLI's table, scaled by
// log1p + z-score and clustered with the k-means CLI defaults and k = number of archetypes,
// recovers the archetypes (adjusted Rand index >= 0.9 against truth.csv).
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "ingest/matrix_csv.hpp"
#include "kmeans/metrics.hpp"
#include "backend_support.hpp"
#include "segmint/backend.hpp"
#include "segmint/features.hpp"
#include "test_support.hpp"

namespace segmint::test {

TEST(KMeansGenerated, RecoversPlantedArchetypes) {
  TempDir dir;
  auto gen = run_cli({"generate", "--users", "3000", "--seed", "5", "--out", dir.file("g")});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  auto feat = run_cli(
      {"features", "--events", dir.file("g/events.csv"), "--out", dir.file("features.csv")});
  ASSERT_EQ(feat.exit_code, 0) << feat.err;

  MatrixCsv table = read_matrix_csv(dir.file("features.csv"));
  TransformOptions t;
  t.kind = TransformOptions::Kind::log1p_zscore;
  const FeatureMatrix x = fit_scaler(table.matrix, t).transform(table.matrix);

  std::map<std::string, std::string> archetype_of;
  std::map<std::string, int> archetype_ids;
  std::ifstream truth(dir.file("g/truth.csv"));
  std::string line;
  std::getline(truth, line);  // header
  while (std::getline(truth, line)) {
    const auto comma = line.find(',');
    archetype_of[line.substr(0, comma)] = line.substr(comma + 1);
    archetype_ids.emplace(line.substr(comma + 1), static_cast<int>(archetype_ids.size()));
  }
  std::vector<std::int32_t> expected;
  for (const auto& id : table.ids) expected.push_back(archetype_ids.at(archetype_of.at(id)));

  KMeansParams p = KMeansParams{};  // library defaults, with the CLI's default n_init
  p.k = static_cast<int>(archetype_ids.size());
  p.n_init = 4;
  for (InitMethod init : {InitMethod::kmeans_plus_plus, InitMethod::kmeans_parallel}) {
    p.init = init;
    auto r = cpu_backend(0)->kmeans(x.view(), nullptr, p);
    EXPECT_GE(metrics::adjusted_rand_index(r.labels, expected), 0.9)
        << "init " << static_cast<int>(init);
  }
}

}  // namespace segmint::test
