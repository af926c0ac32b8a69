// Initial centroids: greedy k-means++ (2 + floor(ln k) candidates per step, as scikit-learn)
// and k distinct rows drawn uniformly. Parallel over fixed chunks, reduced in chunk order.
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "kmeans/cpu_kmeans.hpp"
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

// The distances below run several independent chains at once (one distance at a time waited on
// its chain of d dependent adds: k-means++ took as long as ~40 Lloyd iterations). Every chain
// computes squared_distance's bits: t = a - b, then s += t * t in feature order.
typedef float F4 __attribute__((vector_size(16)));

// closest[i] = squared_distance(row i, c), or the smaller of that and closest[i] with keep, for
// rows [begin, end): four rows at once.
void to_centre(MatrixView x, const float* c, std::size_t begin, std::size_t end, bool keep,
               float* closest) {
  const std::size_t d = x.cols;
  auto put = [&](std::size_t i, float v) { closest[i] = keep ? std::min(closest[i], v) : v; };
  std::size_t i = begin;
  for (; i + 4 <= end; i += 4) {
    const float *r0 = x.row(i), *r1 = x.row(i + 1), *r2 = x.row(i + 2), *r3 = x.row(i + 3);
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (std::size_t j = 0; j < d; ++j) {
      const float t0 = r0[j] - c[j], t1 = r1[j] - c[j], t2 = r2[j] - c[j], t3 = r3[j] - c[j];
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    put(i, s0), put(i + 1, s1), put(i + 2, s2), put(i + 3, s3);
  }
  for (; i < end; ++i) put(i, detail::squared_distance(x.row(i), c, d));
}

// Over rows [begin, end): out[l] = sum of w_i min(closest_i, squared_distance(row i, cand l)) in
// row order, for each candidate: four candidates in the lanes of a vector, two rows at once.
void trial_sums(MatrixView x, const float* w, const float* closest,
                const std::vector<const float*>& cand, std::size_t begin, std::size_t end,
                double* out) {
  const std::size_t d = x.cols, trials = cand.size();
  std::vector<F4> ct(d);  // the group's candidates by feature: ct[j][q] = cand[l0 + q][j]
  for (std::size_t l0 = 0; l0 < trials; l0 += 4) {
    const std::size_t group = std::min<std::size_t>(4, trials - l0);
    for (std::size_t j = 0; j < d; ++j)
      for (std::size_t q = 0; q < 4; ++q) ct[j][q] = cand[l0 + std::min(q, group - 1)][j];
    double sums[4] = {0, 0, 0, 0};  // not `out`: neighbouring chunks share its cache lines
    auto add = [&](std::size_t i, F4 dist) {
      const double wi = w ? static_cast<double>(w[i]) : 1.0;
      for (std::size_t q = 0; q < group; ++q) sums[q] += wi * std::min(closest[i], dist[q]);
    };
    std::size_t i = begin;
    for (; i + 2 <= end; i += 2) {
      const float *r0 = x.row(i), *r1 = x.row(i + 1);
      F4 s0 = {}, s1 = {};
      for (std::size_t j = 0; j < d; ++j) {
        const F4 t0 = r0[j] - ct[j], t1 = r1[j] - ct[j];
        s0 += t0 * t0;
        s1 += t1 * t1;
      }
      add(i, s0), add(i + 1, s1);
    }
    for (; i < end; ++i) {
      const float* r0 = x.row(i);
      F4 s0 = {};
      for (std::size_t j = 0; j < d; ++j) {
        const F4 t0 = r0[j] - ct[j];
        s0 += t0 * t0;
      }
      add(i, s0);
    }
    for (std::size_t q = 0; q < group; ++q) out[l0 + q] = sums[q];
  }
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
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, nt))
  for (std::size_t ch = 0; ch < chunks; ++ch)
    to_centre(x, centers.data(), ch * kChunkRows, std::min(n, (ch + 1) * kChunkRows), false,
              closest.data());

  std::vector<double> partial(chunks * trials);
  std::vector<std::size_t> cand(trials);
  std::vector<const float*> cand_rows(trials);
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
      trial_sums(x, w, closest.data(), cand_rows, ch * kChunkRows,
                 std::min(n, (ch + 1) * kChunkRows), partial.data() + ch * trials);
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
    const float* cx = x.row(cand[best]);
    std::copy_n(cx, d, centers.begin() + static_cast<std::size_t>(c) * d);
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, nt))
    for (std::size_t ch = 0; ch < chunks; ++ch)
      to_centre(x, cx, ch * kChunkRows, std::min(n, (ch + 1) * kChunkRows), true, closest.data());
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
