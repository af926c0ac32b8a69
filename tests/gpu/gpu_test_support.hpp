// Shared by the GPU tests: the skip rule, fresh random data with planted blobs, a plain
// sequential Lloyd reference following include/segmint/kmeans.hpp, and comparison helpers.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "backends/cuda_entry.hpp"
#include "backend_support.hpp"
#include "gpu_skip.hpp"
#include "segmint/backend.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "segmint/detail/kmeans_screen.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::test {

struct Blobs {
  std::vector<float> x;
  std::vector<int> truth;
  std::size_t n = 0;
  int d = 0;
  MatrixView view() const { return {x.data(), n, static_cast<std::size_t>(d)}; }
};

/// n rows around `groups` centres drawn in [-spread, spread]^d, unit normal noise. With
/// major > 0, group 0 takes about that fraction of the rows and the others share the rest.
inline Blobs make_blobs(std::size_t n, int d, int groups, double spread, std::uint64_t seed,
                        double major = 0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-spread, spread);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> centres(static_cast<std::size_t>(groups) * d);
  for (double& c : centres) c = u(rng);
  Blobs b;
  b.n = n;
  b.d = d;
  b.x.resize(n * d);
  b.truth.resize(n);
  auto group = [&] {
    if (major <= 0) return static_cast<int>(rng() % groups);
    const double coin = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    return coin < major ? 0 : 1 + static_cast<int>(rng() % (groups - 1));
  };
  for (std::size_t i = 0; i < n; ++i) {
    const int t = group();
    b.truth[i] = t;
    for (int j = 0; j < d; ++j) b.x[i * d + j] = static_cast<float>(centres[t * d + j] + g(rng));
  }
  return b;
}

/// n weights uniform in [0.25, 4).
inline std::vector<float> random_weights(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0.25f, 4.f);
  std::vector<float> w(n);
  for (float& v : w) v = u(rng);
  return w;
}

/// A fresh seed per run (printed by the caller on failure).
inline std::uint64_t fresh_seed() { return (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}(); }

/// k rows of x chosen with a fixed stride: the shared initial centroids of parity tests.
inline std::vector<float> strided_rows(const Blobs& b, int k) {
  std::vector<float> c;
  for (int i = 0; i < k; ++i) {
    const std::size_t r = (b.n / k) * i;
    c.insert(c.end(), b.x.begin() + r * b.d, b.x.begin() + (r + 1) * b.d);
  }
  return c;
}

/// k-means from the strided rows of b (the shared initial centroids), max_iter and tol.
inline KMeansParams strided_params(const Blobs& b, int k, int max_iter, double tol) {
  KMeansParams p;
  p.k = k;
  p.init = InitMethod::given;
  p.initial_centroids = strided_rows(b, k);
  p.max_iter = max_iter;
  p.tol = tol;
  return p;
}

/// tol * mean feature variance, two passes in double (the backends' definition).
inline double absolute_tol(MatrixView x, double tol) {
  double sum = 0;
  for (std::size_t j = 0; j < x.cols; ++j) {
    double m = 0, v = 0;
    for (std::size_t i = 0; i < x.rows; ++i) m += x.row(i)[j];
    m /= x.rows;
    for (std::size_t i = 0; i < x.rows; ++i) v += (x.row(i)[j] - m) * (x.row(i)[j] - m);
    sum += v / x.rows;
  }
  return tol * sum / x.cols;
}

/// Sequential Lloyd with double sums in row order: the semantics of kmeans.hpp, written plainly,
/// ranking by the exact formula (detail::exact_sq) both backends use.
inline KMeansResult reference_lloyd(MatrixView x, const float* w, std::vector<float> c, int k,
                                    int max_iter, double tol) {
  const std::size_t n = x.rows, d = x.cols;
  const double tol_abs = tol > 0 ? absolute_tol(x, tol) : 0;
  std::vector<int> labels(n, -1);
  std::vector<float> d2(n);
  KMeansResult r;
  auto assign = [&](std::size_t* changed) {
    for (std::size_t i = 0; i < n; ++i) {
      float best = detail::exact_sq(x.row(i), &c[0], static_cast<int>(d));
      int lab = 0;
      for (int q = 1; q < k; ++q) {
        float s = detail::exact_sq(x.row(i), &c[q * d], static_cast<int>(d));
        if (detail::closer(s, best)) { best = s; lab = q; }
      }
      if (changed && labels[i] != lab) ++*changed;
      labels[i] = lab;
      d2[i] = best;
    }
  };
  auto inertia = [&] {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += (w ? w[i] : 1.0) * d2[i];
    return s;
  };
  bool strict = false;
  for (int it = 0; it < max_iter; ++it) {
    std::size_t changed = 0;
    assign(&changed);
    r.inertia = inertia();
    std::vector<double> sums(k * d, 0.0), ws(k, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double wi = w ? w[i] : 1.0;
      for (std::size_t j = 0; j < d; ++j) sums[labels[i] * d + j] += wi * x.row(i)[j];
      ws[labels[i]] += wi;
    }
    std::vector<int> empty;
    for (int q = 0; q < k; ++q) if (!(ws[q] > 0)) empty.push_back(q);
    if (!empty.empty()) {  // farthest usable rows; never empty a cluster; relabel the row
      std::vector<std::size_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return d2[a] > d2[b]; });
      std::size_t next = 0;
      for (int e : empty) {
        for (; next < n; ++next) {
          const std::size_t row = order[next];
          const double wi = w ? w[row] : 1.0;
          const int from = labels[row];
          if (wi <= 0 || ws[from] - wi <= 0) continue;
          for (std::size_t j = 0; j < d; ++j) {
            sums[from * d + j] -= wi * x.row(row)[j];
            sums[e * d + j] = wi * x.row(row)[j];
          }
          ws[from] -= wi;
          ws[e] = wi;
          labels[row] = e;
          ++next;
          break;
        }
      }
    }
    double shift = 0;
    for (int q = 0; q < k; ++q)
      for (std::size_t j = 0; j < d; ++j) {
        const float nc = ws[q] > 0 ? static_cast<float>(sums[q * d + j] / ws[q]) : c[q * d + j];
        shift += (static_cast<double>(nc) - c[q * d + j]) * (static_cast<double>(nc) - c[q * d + j]);
        c[q * d + j] = nc;
      }
    r.iterations = it + 1;
    if (changed == 0) { strict = true; r.converged = true; break; }
    if (shift <= tol_abs) { r.converged = true; break; }
  }
  if (!strict) {
    assign(nullptr);
    r.inertia = inertia();
  }
  r.centroids = c;
  r.labels.assign(labels.begin(), labels.end());
  r.distances.resize(n);
  for (std::size_t i = 0; i < n; ++i) r.distances[i] = std::sqrt(d2[i]);
  return r;
}

/// Fraction of equal labels.
inline double label_agreement(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
  std::size_t same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  return a.empty() ? 1.0 : static_cast<double>(same) / a.size();
}

/// max |a - b| / max(|b|, 1e-12) over entries, with the scale of b's largest magnitude.
inline double max_rel_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double scale = 1e-12, m = 0;
  for (float v : b) scale = std::max(scale, static_cast<double>(std::fabs(v)));
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(static_cast<double>(a[i]) - b[i]));
  return m / scale;
}

/// The CPU backend's fit of the same problem (the oracle of every GPU k-means test).
inline KMeansResult cpu_fit(MatrixView x, const float* w, const KMeansParams& p) {
  return cpu_backend()->kmeans(x, w, p);
}

/// Contract 3: labels equal for >= 99.99 % of rows, centroids and inertia within 1e-5.
inline void expect_matches_cpu(const KMeansResult& gpu, const KMeansResult& cpu) {
  EXPECT_GE(label_agreement(gpu.labels, cpu.labels), 0.9999);
  EXPECT_LE(max_rel_diff(gpu.centroids, cpu.centroids), 1e-5);
  EXPECT_NEAR(gpu.inertia, cpu.inertia, 1e-5 * cpu.inertia + 1e-12);
}

/// Centroids reordered by planted group: row g = the centroid of the cluster holding most rows
/// of group g (k x d). Lets runs with different inits (CPU vs GPU) be compared.
inline std::vector<float> centroids_by_group(const KMeansResult& r, const std::vector<int>& truth,
                                             int k, int d) {
  std::vector<std::vector<std::size_t>> votes(k, std::vector<std::size_t>(k, 0));
  for (std::size_t i = 0; i < truth.size(); ++i) ++votes[truth[i]][r.labels[i]];
  std::vector<float> out(static_cast<std::size_t>(k) * d);
  for (int g = 0; g < k; ++g) {
    const int c = static_cast<int>(std::max_element(votes[g].begin(), votes[g].end()) -
                                   votes[g].begin());
    std::copy_n(r.centroids.begin() + static_cast<std::size_t>(c) * d, d,
                out.begin() + static_cast<std::size_t>(g) * d);
  }
  return out;
}

/// True when two results are bit-for-bit identical.
inline bool identical(const KMeansResult& a, const KMeansResult& b) {
  auto same = [](const auto& u, const auto& v) {
    return u.size() == v.size() && std::memcmp(u.data(), v.data(), u.size() * sizeof(u[0])) == 0;
  };
  return same(a.centroids, b.centroids) && same(a.labels, b.labels) &&
         same(a.distances, b.distances) &&
         std::memcmp(&a.inertia, &b.inertia, sizeof(double)) == 0 && a.iterations == b.iterations;
}

}  // namespace segmint::test
