// Initial centroids: greedy k-means++ (2 + floor(ln k) candidates per step, as scikit-learn)
// and k distinct rows drawn uniformly. Parallel over fixed chunks, reduced in chunk order.
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "kmeans/cpu_kmeans.hpp"
#include "kmeans/init_chunk.hpp"
#include "segmint/cancel.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::kmeans {

namespace {

// Mass of row i for sampling: w_i * v_i, with a null array meaning 1.
inline double mass(const float* v, const float* w, std::size_t i) {
  return (w ? static_cast<double>(w[i]) : 1.0) * (v ? static_cast<double>(v[i]) : 1.0);
}

// Per-chunk sums of mass, in row order within the chunk.
std::vector<double> chunk_masses(const float* v, const float* w, std::size_t n, int threads) {
  std::vector<double> out(chunk_count(n), 0.0);
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, threads))
  for (std::size_t ch = 0; ch < out.size(); ++ch) {
    const std::size_t end = std::min(n, (ch + 1) * kChunkRows);
    double s = 0;
    for (std::size_t i = ch * kChunkRows; i < end; ++i) s += mass(v, w, i);
    out[ch] = s;
  }
  return out;
}

// First row whose cumulative mass exceeds r (0 <= r < total). The running sum repeats the
// chunk sums' order exactly, so it is consistent with them; rounding at the very end falls
// back to the last row with positive mass.
std::size_t search_mass(const float* v, const float* w, std::size_t n,
                        const std::vector<double>& chunks, double r) {
  double before = 0;
  std::size_t ch = 0;
  while (ch + 1 < chunks.size() && before + chunks[ch] <= r) before += chunks[ch++];
  const std::size_t begin = ch * kChunkRows, end = std::min(n, begin + kChunkRows);
  double acc = before;
  std::size_t last_positive = begin;
  for (std::size_t i = begin; i < end; ++i) {
    const double m = mass(v, w, i);
    if (m > 0) last_positive = i;
    acc += m;
    if (acc > r && m > 0) return i;
  }
  return last_positive;
}

double total(const std::vector<double>& chunks) {
  double s = 0;
  for (double c : chunks) s += c;
  return s;
}

}  // namespace

std::vector<float> init_kmeans_pp(MatrixView x, const float* w, int k, Rng& rng, int threads) {
  const std::size_t n = x.rows;
  const int d = static_cast<int>(x.cols);
  const int nt = resolve_threads(threads);
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  std::vector<float> centers(static_cast<std::size_t>(k) * d);
  auto pick = [&](const float* v) {
    auto chunks = chunk_masses(v, w, n, nt);
    const double pot = total(chunks);
    const double u = rng.uniform();  // drawn even when unused: keeps the stream aligned
    return pot > 0 ? search_mass(v, w, n, chunks, u * pot) : rng.below(n);
  };
  std::size_t first = pick(nullptr);
  std::copy_n(x.row(first), d, centers.begin());
  std::vector<float> closest(n);
  const std::size_t chunks = chunk_count(n);
  const InitKernel& kern = init_kernel();  // distances 16 rows at a time (init_kernel.hpp)
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, nt))
  for (std::size_t ch = 0; ch < chunks; ++ch)
    kern.to_centre(x, centers.data(), ch * kChunkRows, std::min(n, (ch + 1) * kChunkRows),
                   closest.data());

  std::vector<double> partial(chunks * trials);
  std::vector<std::size_t> cand(trials);
  std::vector<const float*> cand_rows(trials);
  // Each candidate's min(closest, distance) per row: the winner's becomes `closest` (a swap),
  // so a step reads x once (a second pass updating closest was a third of k-means++'s time).
  std::vector<std::vector<float>> mins(static_cast<std::size_t>(trials), std::vector<float>(n));
  std::vector<float*> min_rows(static_cast<std::size_t>(trials));
  for (int l = 0; l < trials; ++l) min_rows[l] = mins[l].data();
  for (int c = 1; c < k; ++c) {
    throw_if_cancelled();
    const auto masses = chunk_masses(closest.data(), w, n, nt);
    const double pot = total(masses);
    for (int l = 0; l < trials; ++l) {
      const double u = rng.uniform();
      cand[l] = pot > 0 ? search_mass(closest.data(), w, n, masses, u * pot) : rng.below(n);
      cand_rows[l] = x.row(cand[l]);
    }
    // Potential after adding each candidate; keep the lowest (first on ties).
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(dynamic, 1) num_threads(team_size(n, nt))
    for (std::size_t ch = 0; ch < chunks; ++ch)
      kern.trial_sums(x, w, closest.data(), cand_rows.data(), trials, ch * kChunkRows,
                      std::min(n, (ch + 1) * kChunkRows), partial.data() + ch * trials,
                      min_rows.data());
    int best = 0;
    double best_pot = 0;
    for (int l = 0; l < trials; ++l) {
      double s = 0;
      for (std::size_t ch = 0; ch < chunks; ++ch) s += partial[ch * trials + l];
      if (l == 0 || s < best_pot) {
        best_pot = s;
        best = l;
      }
    }
    std::copy_n(x.row(cand[best]), d, centers.begin() + static_cast<std::size_t>(c) * d);
    closest.swap(mins[best]);
    min_rows[best] = mins[best].data();
  }
  return centers;
}

std::vector<float> init_random(MatrixView x, int k, Rng& rng) {
  // Partial Fisher-Yates over row indices; the map holds only the displaced entries.
  const std::size_t n = x.rows, d = x.cols;
  std::unordered_map<std::size_t, std::size_t> moved;
  auto at = [&](std::size_t i) {
    auto it = moved.find(i);
    return it == moved.end() ? i : it->second;
  };
  std::vector<float> centers(static_cast<std::size_t>(k) * d);
  for (int c = 0; c < k; ++c) {
    const std::size_t j = c + rng.below(n - c);
    const std::size_t pick = at(j);
    moved[j] = at(c);
    std::copy_n(x.row(pick), d, centers.begin() + static_cast<std::size_t>(c) * d);
  }
  return centers;
}

}  // namespace segmint::kmeans
