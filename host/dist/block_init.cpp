// BlockFit's initialisers: kmeans::init_random, init_kmeans_pp and init_kmeans_parallel with the
// same random streams on every rank and every chunk-ordered sum taken in chunk order.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "dist/block_fit.hpp"
#include "dist/comm.hpp"
#include "dist/ordered.hpp"
#include "dist/wire.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::dist {

using kmeans::kChunkRows;
using kmeans::Rng;

namespace {
inline double mass(const float* v, const float* w, std::size_t i) {
  return (w ? static_cast<double>(w[i]) : 1.0) * (v ? static_cast<double>(v[i]) : 1.0);
}
}  // namespace

std::vector<double> BlockFit::chunk_masses(const float* v) const {
  std::vector<double> out(chunks(), 0.0);
  for (std::size_t ch = 0; ch < out.size(); ++ch) {
    const std::size_t end = std::min(rows(), (ch + 1) * kChunkRows);
    double s = 0;
    for (std::size_t i = ch * kChunkRows; i < end; ++i) s += mass(v, w(), i);
    out[ch] = s;
  }
  return out;
}

std::size_t BlockFit::search(const float* v, const std::vector<double>& masses, double r) const {
  double before = 0;
  std::size_t ch = 0;
  while (ch + 1 < masses.size() && before + masses[ch] <= r) before += masses[ch++];
  const int owner = chunk_owner(ch);
  Writer w;
  if (rank() == owner) {
    const std::size_t begin = (ch - chunk_lo_) * kChunkRows;
    const std::size_t end = std::min(rows(), begin + kChunkRows);
    double acc = before;
    std::size_t found = begin;  // the last row with positive mass, unless one exceeds r
    for (std::size_t i = begin; i < end; ++i) {
      const double m = mass(v, this->w(), i);
      if (m > 0) found = i;
      acc += m;
      if (acc > r && m > 0) break;
    }
    w.put(static_cast<std::uint64_t>(row_lo_ + found));
  }
  broadcast(w.bytes, owner);
  return Unpacker(w.bytes).get<std::uint64_t>();
}

std::vector<float> BlockFit::init_random(std::uint64_t seed) {
  Rng rng(seed);
  std::unordered_map<std::size_t, std::size_t> moved;
  auto at = [&](std::size_t i) {
    auto it = moved.find(i);
    return it == moved.end() ? i : it->second;
  };
  std::vector<std::size_t> picks;
  for (int c = 0; c < params_.k; ++c) {
    const std::size_t j = c + rng.below(n_ - c);
    picks.push_back(at(j));
    moved[j] = at(c);
  }
  return fetch_rows(picks);
}

std::vector<float> BlockFit::init_plus_plus(std::uint64_t seed) {
  Rng rng(seed);
  const int k = params_.k, d = static_cast<int>(d_);
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  const int nt = kmeans::resolve_threads(params_.threads);
  auto pick = [&](const float* v) {
    const std::vector<double> masses = all_chunk_values(chunk_masses(v));
    const double pot = total_in_order(masses);
    const double u = rng.uniform();
    return pot > 0 ? search(v, masses, u * pot) : rng.below(n_);
  };
  std::vector<float> centers = fetch_rows({pick(nullptr)});
  centers.resize(static_cast<std::size_t>(k) * d);
  std::vector<float> closest(rows());
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(kmeans::team_size(rows(), nt))
  for (std::size_t i = 0; i < rows(); ++i)
    closest[i] = detail::squared_distance(x_.data() + i * d_, centers.data(), d);
  std::vector<std::size_t> cand(trials);
  std::vector<double> partial(chunks() * trials);
  for (int c = 1; c < k; ++c) {
    const std::vector<double> masses = all_chunk_values(chunk_masses(closest.data()));
    const double pot = total_in_order(masses);
    for (int l = 0; l < trials; ++l) {
      const double u = rng.uniform();
      cand[l] = pot > 0 ? search(closest.data(), masses, u * pot) : rng.below(n_);
    }
    const std::vector<float> cx = fetch_rows(cand);
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(dynamic, 1) num_threads(kmeans::team_size(rows(), nt))
    for (std::size_t ch = 0; ch < chunks(); ++ch) {
      const std::size_t end = std::min(rows(), (ch + 1) * kChunkRows);
      for (int l = 0; l < trials; ++l) {
        double s = 0;
        for (std::size_t i = ch * kChunkRows; i < end; ++i) {
          const float dist = std::min(
              closest[i], detail::squared_distance(x_.data() + i * d_, cx.data() + l * d_, d));
          s += (w() ? static_cast<double>(w()[i]) : 1.0) * dist;
        }
        partial[ch * trials + l] = s;
      }
    }
    const std::vector<double> all = all_chunk_values(partial);
    int best = 0;
    double best_pot = 0;
    for (int l = 0; l < trials; ++l) {
      double s = 0;
      for (std::size_t ch = 0; ch < all_chunks_; ++ch) s += all[ch * trials + l];
      if (l == 0 || s < best_pot) {
        best_pot = s;
        best = l;
      }
    }
    const float* chosen = cx.data() + static_cast<std::size_t>(best) * d_;
    std::copy_n(chosen, d_, centers.begin() + static_cast<std::size_t>(c) * d_);
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(kmeans::team_size(rows(), nt))
    for (std::size_t i = 0; i < rows(); ++i)
      closest[i] = std::min(closest[i], detail::squared_distance(x_.data() + i * d_, chosen, d));
  }
  return centers;
}

}  // namespace segmint::dist
