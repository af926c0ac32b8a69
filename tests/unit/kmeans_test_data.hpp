// Test data for the k-means tests: seeded Gaussian blobs with known labels.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint::test {

struct Blobs {
  FeatureMatrix x;
  std::vector<std::int32_t> truth;
  std::vector<float> centers;  ///< k x d
};

/// n rows around k centers drawn uniformly in [-spread, spread]^d, unit-variance noise.
inline Blobs make_blobs(std::size_t n, int d, int k, double spread, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(-spread, spread);
  std::normal_distribution<double> g(0.0, 1.0);
  Blobs b;
  b.centers.resize(static_cast<std::size_t>(k) * d);
  for (auto& c : b.centers) c = static_cast<float>(u(gen));
  b.x.rows = n;
  b.x.cols = d;
  b.x.values.resize(n * d);
  for (int j = 0; j < d; ++j) b.x.names.push_back("f" + std::to_string(j));
  b.truth.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(i % k);
    b.truth[i] = c;
    for (int j = 0; j < d; ++j) b.x.at(i, j) = static_cast<float>(b.centers[c * d + j] + g(gen));
  }
  return b;
}

/// Rows (row-major) with the centroids a kernel test starts from, and weights where it uses them.
struct KMeansCase {
  std::size_t n;
  int d, k;
  std::vector<float> x, c, w;
  MatrixView view() const { return {x.data(), n, static_cast<std::size_t>(d)}; }
};

/// One-column matrix from values.
inline FeatureMatrix column(const std::vector<float>& v) {
  FeatureMatrix m;
  m.rows = v.size();
  m.cols = 1;
  m.values = v;
  m.names = {"x"};
  return m;
}

}  // namespace segmint::test
