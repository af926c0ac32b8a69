// DESIGN.md contract 4: from the same initial centroids on the same matrix, segmint cluster
// (--transform none) matches scikit-learn's KMeans(algorithm="lloyd"): labels >= 99.9 % equal,
// inertia within 1e-4 relative. On blobs, generated events' features and Online Retail II.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "segments_test_data.hpp"

namespace segmint::test {
namespace {

// Prepares a float32 matrix (optionally log1p + z-scored from raw features), draws k initial
// centroids from its rows with a fixed seed, fits scikit-learn from them, and writes
// M.csv, C.csv, sk_labels.csv (id,label) and sk.json (inertia, iterations).
const char* kScript = R"PY(
import sys, json, numpy as np
from sklearn.cluster import KMeans
src, out, k, transform = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(src) as f:
    header = f.readline().rstrip("\n").split(",")
    ids, rows = [], []
    for line in f:
        p = line.rstrip("\n").split(",")
        ids.append(p[0]); rows.append([float(v) for v in p[1:]])
X = np.array(rows, dtype=np.float64)
names = header[1:]
if transform == "log1p-zscore":
    keep = X.std(axis=0) > 0
    X, names = X[:, keep], [n for n, kp in zip(names, keep) if kp]
    X = np.where(X.min(axis=0) >= 0, np.log1p(np.maximum(X, 0)), X)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
X = X.astype(np.float32)
def write(path, ids_, M):
    with open(path, "w") as f:
        f.write(",".join(["user_id"] + names) + "\n")
        for i, r in zip(ids_, M):
            f.write(",".join([i] + ["%.9g" % float(v) for v in r]) + "\n")
write(out + "/M.csv", ids, X)
rng = np.random.RandomState(3)
C = X[rng.choice(len(X), size=k, replace=False)]
with open(out + "/C.csv", "w") as f:
    f.write(",".join(names) + "\n")
    for r in C:
        f.write(",".join("%.9g" % float(v) for v in r) + "\n")
km = KMeans(n_clusters=k, init=C, n_init=1, algorithm="lloyd", max_iter=300, tol=1e-4).fit(X)
with open(out + "/sk_labels.csv", "w") as f:
    f.write("user_id,label\n")
    for i, l in zip(ids, km.labels_):
        f.write("%s,%d\n" % (i, l))
json.dump({"inertia": float(km.inertia_), "iterations": int(km.n_iter_)}, open(out + "/sk.json", "w"))
)PY";

/// Runs the comparison on the feature table `source` (skips when no scikit-learn is found).
void expect_sklearn_agreement(const std::string& source, int k, const std::string& transform) {
  auto py = python_with_sklearn();
  if (!py) GTEST_SKIP() << "no python3 with scikit-learn";
  TempDir dir;
  write_file(dir.file("agree.py"), kScript);
  std::string cmd = shell_quote(*py) + " " + shell_quote(dir.file("agree.py")) + " " +
                    shell_quote(source) + " " + shell_quote(dir.path().string()) + " " +
                    std::to_string(k) + " " + transform;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  auto r = run_cli({"cluster", "--matrix", dir.file("M.csv"), "--transform", "none", "--init",
                    dir.file("C.csv"), "--out", dir.file("out")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto ours = csv_column_by_id(dir.file("out/assignments.csv"), 1);
  auto theirs = csv_column_by_id(dir.file("sk_labels.csv"), 1);
  ASSERT_EQ(ours.size(), theirs.size());
  // Our ids are renumbered by size: map each of our segments to the scikit-learn cluster it
  // overlaps most, and require that map to be one-to-one.
  std::map<std::string, std::map<std::string, long>> overlap;
  for (const auto& [id, label] : ours) overlap[label][theirs.at(id)] += 1;
  std::set<std::string> used;
  long agree = 0;
  for (const auto& [label, counts] : overlap) {
    auto best = std::max_element(counts.begin(), counts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    EXPECT_TRUE(used.insert(best->first).second) << "two segments map to sklearn " << best->first;
    agree += best->second;
  }
  double share = static_cast<double>(agree) / static_cast<double>(ours.size());
  EXPECT_GE(share, 0.999) << "labels agree for " << share * 100 << " %";
  double our_inertia = nlohmann::json::parse(read_file(dir.file("out/summary.json")))["inertia"];
  double sk_inertia = nlohmann::json::parse(read_file(dir.file("sk.json")))["inertia"];
  EXPECT_NEAR(our_inertia, sk_inertia, 1e-4 * sk_inertia)
      << "segmint " << our_inertia << " scikit-learn " << sk_inertia;
  std::printf("%s: labels agree %.4f %%, inertia segmint %.9g scikit-learn %.9g\n",
              source.c_str(), 100 * share, our_inertia, sk_inertia);
}

TEST(ClusterSklearn, OverlappingBlobs) {
  TempDir dir;
  write_blobs(dir.file("blobs.csv"), 20000, 8, 8, 2.0, 21);
  expect_sklearn_agreement(dir.file("blobs.csv"), 8, "as-is");
}

TEST(ClusterSklearn, GeneratedEventFeatures) {
  TempDir dir;
  auto g = run_cli({"generate", "--users", "20000", "--seed", "7", "--out", dir.file("data")});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  auto f = run_cli({"features", "--events", dir.file("data/events.csv"), "--out",
                    dir.file("features.csv")});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  expect_sklearn_agreement(dir.file("features.csv"), 7, "log1p-zscore");
}

TEST(ClusterSklearn, OnlineRetailFeatures) {
  auto data = shared_dataset("online_retail_II_2009-2010.csv.gz");
  if (!data) GTEST_SKIP() << "../shared/datasets/online_retail_II_2009-2010.csv.gz is absent";
  TempDir dir;
  auto f = run_cli({"features", "--events", *data, "--schema", "online-retail", "--on-bad-row",
                    "skip", "--out", dir.file("features.csv")});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  expect_sklearn_agreement(dir.file("features.csv"), 8, "log1p-zscore");
}

}  // namespace
}  // namespace segmint::test
