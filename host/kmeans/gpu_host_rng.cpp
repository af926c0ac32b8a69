// splitmix64 random numbers and the host-side weighted greedy k-means++ (k-means|| final step).
#include "kmeans/gpu_host_rng.hpp"

#include <cmath>
#include <limits>

#include "segmint/detail/kmeans_math.hpp"

namespace segmint::gpu {

std::uint64_t rng_next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

double rng_uniform(std::uint64_t& state) {
  return static_cast<double>(rng_next(state) >> 11) * 0x1.0p-53;
}

std::uint64_t rng_below(std::uint64_t& state, std::uint64_t n) {
  // Rejection keeps the draw exactly uniform.
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                              std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t v;
  do v = rng_next(state); while (v >= limit);
  return v % n;
}

std::uint64_t run_seed(std::uint64_t seed, int run) {
  std::uint64_t s = seed ^ (0xd1b54a32d192ed03ull * static_cast<std::uint64_t>(run + 1));
  return rng_next(s);
}

std::vector<float> weighted_plus_plus(const std::vector<float>& points,
                                      const std::vector<double>& weights, int d, int k,
                                      std::uint64_t& state) {
  const std::size_t m = weights.size();
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  auto pick = [&](const std::vector<double>& mass) {
    double total = 0;
    for (double v : mass) total += v;
    const double target = rng_uniform(state) * total;
    double run = 0;
    std::size_t last = 0;
    for (std::size_t i = 0; i < m; ++i) {
      if (mass[i] > 0) last = i;
      run += mass[i];
      if (mass[i] > 0 && run >= target) return i;
    }
    return last;
  };
  auto dist = [&](std::size_t a, std::size_t b) {
    return static_cast<double>(detail::squared_distance(&points[a * d], &points[b * d], d));
  };
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(k) * d);
  std::size_t first = pick(weights);
  out.insert(out.end(), &points[first * d], &points[first * d] + d);
  std::vector<double> closest(m);
  for (std::size_t i = 0; i < m; ++i) closest[i] = dist(i, first);
  for (int c = 1; c < k; ++c) {
    std::vector<double> mass(m);
    for (std::size_t i = 0; i < m; ++i) mass[i] = weights[i] * closest[i];
    std::size_t best = 0;
    double best_pot = std::numeric_limits<double>::infinity();
    std::vector<double> best_closest;
    for (int t = 0; t < trials; ++t) {
      const std::size_t cand = pick(mass);
      std::vector<double> cl(m);
      double pot = 0;
      for (std::size_t i = 0; i < m; ++i) {
        cl[i] = std::min(closest[i], dist(i, cand));
        pot += weights[i] * cl[i];
      }
      if (pot < best_pot) {
        best_pot = pot;
        best = cand;
        best_closest.swap(cl);
      }
    }
    closest.swap(best_closest);
    out.insert(out.end(), &points[best * d], &points[best * d] + d);
  }
  return out;
}

}  // namespace segmint::gpu
