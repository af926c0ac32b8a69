// Test data for the segment commands: Gaussian blobs as a feature table, CSV reading helpers,
// and the adjusted Rand index written out from its definition.
#pragma once
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace segmint::test {

/// Writes `n` users in `k` Gaussian blobs over `d` features (centres uniform in
/// [-spacing, spacing]^d, unit spread) to a CSV `user_id,f0,...`; ids "u<index>" in shuffled order.
inline void write_blobs(const std::string& path, int n, int d, int k, double spacing,
                        unsigned seed, std::vector<int>* truth = nullptr) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> place(-spacing, spacing);
  std::vector<double> centre(static_cast<std::size_t>(k * d));
  for (auto& v : centre) v = place(rng);
  std::string out = "user_id";
  for (int j = 0; j < d; ++j) out += ",f" + std::to_string(j);
  out += '\n';
  if (truth) truth->clear();
  char buf[64];
  for (int i = 0; i < n; ++i) {
    int c = static_cast<int>(rng() % static_cast<unsigned>(k));
    if (truth) truth->push_back(c);
    out += "u" + std::to_string((i * 7919) % n + 100000);
    for (int j = 0; j < d; ++j) {
      std::snprintf(buf, sizeof buf, ",%.6g", centre[c * d + j] + noise(rng));
      out += buf;
    }
    out += '\n';
  }
  write_file(path, out);
}

/// Rows of a CSV file split on commas (no quoting; test files only), header included.
inline std::vector<std::vector<std::string>> read_csv_rows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f(1);
    for (char c : line) {
      if (c == ',') f.emplace_back();
      else f.back() += c;
    }
    rows.push_back(f);
  }
  return rows;
}

/// Column `col` of assignments-like CSV as a map from the first column (header skipped).
inline std::map<std::string, std::string> csv_column_by_id(const std::string& path, int col) {
  std::map<std::string, std::string> m;
  auto rows = read_csv_rows(path);
  for (std::size_t i = 1; i < rows.size(); ++i) m[rows[i][0]] = rows[i][static_cast<std::size_t>(col)];
  return m;
}

/// Adjusted Rand index of two labelings (Hubert & Arabie), from the contingency table.
inline double adjusted_rand_index(const std::vector<std::string>& a,
                                  const std::vector<std::string>& b) {
  std::map<std::pair<std::string, std::string>, double> nij;
  std::map<std::string, double> ai, bj;
  for (std::size_t i = 0; i < a.size(); ++i) {
    nij[{a[i], b[i]}] += 1;
    ai[a[i]] += 1;
    bj[b[i]] += 1;
  }
  auto c2 = [](double x) { return x * (x - 1) / 2; };
  double index = 0, sa = 0, sb = 0;
  for (const auto& [key, v] : nij) index += c2(v);
  for (const auto& [key, v] : ai) sa += c2(v);
  for (const auto& [key, v] : bj) sb += c2(v);
  double expected = sa * sb / c2(static_cast<double>(a.size()));
  double max_index = (sa + sb) / 2;
  return (index - expected) / (max_index - expected);
}

}  // namespace segmint::test
