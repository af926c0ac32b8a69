// BlockFit::init_parallel: kmeans::init_kmeans_parallel over the ranks' blocks (the counter-based
// draws use global row numbers), then its weighted k-means++ over the candidates on every rank.
#include <algorithm>

#include "dist/block_fit.hpp"
#include "dist/comm.hpp"
#include "dist/ordered.hpp"
#include "dist/wire.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::dist {

using kmeans::kChunkRows;

namespace {

// Per-chunk sums of (w_i *) v_i over `rows` values: kmeans::weighted_sum's partials.
std::vector<double> weighted_partials(const float* v, const float* w, std::size_t rows) {
  std::vector<double> out(kmeans::chunk_count(rows), 0.0);
  for (std::size_t ch = 0; ch < out.size(); ++ch) {
    const std::size_t b = ch * kChunkRows, e = std::min(rows, b + kChunkRows);
    out[ch] = kmeans::weighted_sum(v + b, w ? w + b : nullptr, e - b, 1);
  }
  return out;
}

}  // namespace

std::vector<float> BlockFit::init_parallel(std::uint64_t seed, double oversampling, int rounds) {
  const int k = params_.k, d = static_cast<int>(d_);
  const int nt = kmeans::resolve_threads(params_.threads);
  kmeans::Rng rng(kmeans::mix64(seed ^ 0x6B6D65616E737C7Cull));
  std::vector<std::size_t> chosen{rng.below(n_)};
  if (w()) {
    // The first row whose running weight (added row by row from 0) exceeds the target: the
    // running sum is handed from rank to rank.
    const double target =
        rng.uniform() * ordered_total(weighted_partials(w(), nullptr, rows()), 1)[0];
    const std::string in = receive_from_previous();
    double acc = 0;
    std::uint64_t found = ~std::uint64_t{0};
    if (!in.empty()) {
      Unpacker u(in);
      acc = u.get<double>();
      found = u.get<std::uint64_t>();
    }
    for (std::size_t i = 0; i < rows() && found == ~std::uint64_t{0}; ++i) {
      acc += w()[i];
      if (acc > target && w()[i] > 0) found = row_lo_ + i;
    }
    Writer out;
    out.put(acc);
    out.put(found);
    send_to_next(out.bytes);
    broadcast(out.bytes, size() - 1);
    Unpacker u(out.bytes);
    u.get<double>();
    found = u.get<std::uint64_t>();
    if (found != ~std::uint64_t{0}) chosen[0] = found;
  }
  std::vector<float> closest(rows());
  {
    const std::vector<float> c0 = fetch_rows(chosen);
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(kmeans::team_size(rows(), nt))
    for (std::size_t i = 0; i < rows(); ++i)
      closest[i] = detail::squared_distance(x_.data() + i * d_, c0.data(), d);
  }
  const double ell = oversampling * k;
  for (int round = 0; round < rounds; ++round) {
    const double psi = ordered_total(weighted_partials(closest.data(), w(), rows()), 1)[0];
    if (!(psi > 0)) break;
    Writer picked;
    for (std::size_t i = 0; i < rows(); ++i) {
      const double p = ell * (w() ? w()[i] : 1.f) * closest[i] / psi;
      const std::uint64_t row = row_lo_ + i;
      if (kmeans::hash_uniform(seed, static_cast<std::uint64_t>(round), row) < p) picked.put(row);
    }
    const std::size_t before = chosen.size();
    for (const std::string& m : all_gather(picked.bytes)) {  // rank order = row order
      Unpacker u(m);
      while (!u.done()) chosen.push_back(u.get<std::uint64_t>());
    }
    if (chosen.size() == before) continue;
    const std::vector<float> fresh(
        fetch_rows(std::vector<std::size_t>(chosen.begin() + before, chosen.end())));
    const std::size_t m = chosen.size() - before;
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(kmeans::team_size(rows(), nt))
    for (std::size_t i = 0; i < rows(); ++i) {
      float best = closest[i];
      for (std::size_t c = 0; c < m; ++c)
        best =
            std::min(best, detail::squared_distance(x_.data() + i * d_, fresh.data() + c * d_, d));
      closest[i] = best;
    }
  }
  while (chosen.size() < static_cast<std::size_t>(k)) chosen.push_back(rng.below(n_));
  const int m = static_cast<int>(chosen.size());
  std::vector<float> cand = fetch_rows(chosen);
  // Candidate weight = total weight of the rows nearest to it (chunk order over all ranks).
  std::vector<std::int32_t> labels(rows(), -1);
  const std::vector<double> t = assign_chunks(cand.data(), m, labels.data(), nullptr, true);
  std::vector<float> cw(m);
  for (int c = 0; c < m; ++c) cw[c] = static_cast<float>(t[static_cast<std::size_t>(m) * d_ + c]);
  const MatrixView cv{cand.data(), static_cast<std::size_t>(m), d_};
  return kmeans::init_kmeans_pp(cv, cw.data(), k, rng, nt);
}

}  // namespace segmint::dist
