// BlockFit: the block of chunks each rank holds (prepare), rows fetched from their ranks, and
// the feature variance with one process's chunk order.
#include "dist/block_fit.hpp"

#include <algorithm>

#include "dist/comm.hpp"
#include "dist/ordered.hpp"
#include "dist/wire.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::dist {

using kmeans::chunk_count;
using kmeans::kChunkRows;

namespace {
constexpr std::size_t kRowsPerRound = std::size_t(1) << 20;  // scatter messages stay small

std::size_t first_chunk(std::size_t chunks, int r) {
  return static_cast<std::size_t>(static_cast<unsigned __int128>(chunks) * r / size());
}
}  // namespace

int BlockFit::chunk_owner(std::size_t chunk) const {
  int r = 0;
  while (r + 1 < size() && first_chunk(all_chunks_, r + 1) <= chunk) ++r;
  return r;
}

void BlockFit::prepare(MatrixView x, const float* weights, const KMeansParams& params) {
  params_ = params;
  Writer head;
  head.put(static_cast<std::uint64_t>(x.rows));
  head.put(static_cast<std::uint64_t>(x.cols));
  head.put(static_cast<std::uint8_t>(weights != nullptr));
  broadcast(head.bytes);
  Unpacker h(head.bytes);
  n_ = h.get<std::uint64_t>();
  d_ = h.get<std::uint64_t>();
  weighted_ = h.get<std::uint8_t>() != 0;
  all_chunks_ = chunk_count(n_);
  chunk_lo_ = first_chunk(all_chunks_, rank());
  chunk_hi_ = first_chunk(all_chunks_, rank() + 1);
  row_lo_ = std::min(n_, chunk_lo_ * kChunkRows);
  row_hi_ = std::min(n_, chunk_hi_ * kChunkRows);
  x_.assign(rows() * d_, 0.f);
  w_.assign(weighted_ ? rows() : 0, 0.f);
  // Rank 0 hands each rank its rows, kRowsPerRound per rank and round.
  std::size_t got = 0;
  for (std::size_t from = 0;; from += kRowsPerRound) {
    std::vector<std::string> out(static_cast<std::size_t>(size()));
    for (int r = 0; is_root() && r < size(); ++r) {
      const std::size_t lo = std::min(n_, first_chunk(all_chunks_, r) * kChunkRows);
      const std::size_t hi = std::min(n_, first_chunk(all_chunks_, r + 1) * kChunkRows);
      const std::size_t b = std::min(hi, lo + from), e = std::min(hi, lo + from + kRowsPerRound);
      Writer w;
      w.put_array(x.data + b * d_, (e - b) * d_);
      if (weights) w.put_array(weights + b, e - b);
      out[static_cast<std::size_t>(r)] = std::move(w.bytes);
    }
    const std::string mine = exchange(out)[0];
    const std::size_t m = mine.size() / (sizeof(float) * (d_ + (weighted_ ? 1 : 0)));
    Unpacker u(mine);
    u.get_array(x_.data() + got * d_, m * d_);
    if (weighted_) u.get_array(w_.data() + got, m);
    got += m;
    if (sum(got < rows() ? 1 : 0) == 0) break;
  }
}

std::vector<float> BlockFit::fetch_rows(const std::vector<std::size_t>& rows_wanted) const {
  Writer w;
  for (std::size_t q = 0; q < rows_wanted.size(); ++q) {
    const std::size_t i = rows_wanted[q];
    if (i < row_lo_ || i >= row_hi_) continue;
    w.put(static_cast<std::uint64_t>(q));
    w.put_array(x_.data() + (i - row_lo_) * d_, d_);
  }
  std::vector<float> out(rows_wanted.size() * d_, 0.f);
  for (const std::string& m : all_gather(w.bytes)) {
    Unpacker u(m);
    while (!u.done()) {
      const auto q = u.get<std::uint64_t>();
      u.get_array(out.data() + q * d_, d_);
    }
  }
  return out;
}

double BlockFit::variance_sum() {
  // kmeans::feature_variance_sum: two passes (mean, then squared deviations), chunk order.
  if (n_ == 0) return 0;
  std::vector<double> partial(chunks() * d_), mean(d_, 0.0);
  const int threads = kmeans::resolve_threads(params_.threads);
  for (int pass = 0; pass < 2; ++pass) {
    std::fill(partial.begin(), partial.end(), 0.0);
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(kmeans::team_size(rows(), threads))
    for (std::size_t ch = 0; ch < chunks(); ++ch) {
      const std::size_t begin = ch * kChunkRows, end = std::min(rows(), begin + kChunkRows);
      double* p = partial.data() + ch * d_;
      for (std::size_t i = begin; i < end; ++i) {
        const float* xi = x_.data() + i * d_;
        for (std::size_t j = 0; j < d_; ++j)
          p[j] += detail::moment_term(xi[j], pass == 0 ? nullptr : &mean[j]);
      }
    }
    const std::vector<double> total = ordered_total(partial, d_);
    if (pass == 0) {
      for (std::size_t j = 0; j < d_; ++j) mean[j] = total[j] / static_cast<double>(n_);
    } else {
      double s = 0;
      for (std::size_t j = 0; j < d_; ++j) s += total[j] / static_cast<double>(n_);
      return s;
    }
  }
  return 0;
}

}  // namespace segmint::dist
