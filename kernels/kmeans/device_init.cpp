// Initialisations on the device: greedy k-means++ (2 + floor(ln k) candidates per step, as the
// CPU backend and scikit-learn), k-means|| (sampling rounds on the device, then the CPU
// backend's weighted greedy k-means++ over the candidates), and k distinct random rows; host
// draws from the shared splitmix64 stream (segmint/detail/rng.hpp).
#include <algorithm>
#include <cmath>
#include <set>

#include "core/transfer.hpp"
#include "cuda_plan/init_pick.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "kmeans/device_fit.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::cuda {
using detail::Rng;

std::int64_t DeviceFit::first_center(Rng& rng) {
  if (!data_.device_weights()) return static_cast<std::int64_t>(rng.below(n_));
  const std::vector<float> w = cuda::download(data_.device_weights(), n_, res_.compute());
  return static_cast<std::int64_t>(cuda_plan::pick_by_weight(w, rng.uniform()));
}

std::vector<double> DeviceFit::chunk_pots(const float* cands, int L) {
  data_.for_each_tile([&](const Tile& t) {
    candidate_pots(t, cands, L, closest_.get(), chunk_, per_chunk_.get(), res_.compute());
  });
  return cuda::download(per_chunk_.get(), chunks_ * (L + 1), res_.compute());
}

// The row where the running sum of w * closest first reaches target: the chunk from the chunk
// totals (column col of cols), then the row inside it from its closest distances. The download
// is ordered on the compute stream, after the update_closest that wrote them (issue 12: a plain
// cudaMemcpy on the legacy stream read the previous step's distances).
std::int64_t DeviceFit::pick_row(const std::vector<double>& pots, std::size_t col,
                                 std::size_t cols, double target) {
  const cuda_plan::ChunkPick c = cuda_plan::pick_chunk(pots, col, cols, chunks_, target);
  const std::size_t r0 = c.chunk * chunk_, rows = std::min(n_, r0 + chunk_) - r0;
  const cudaStream_t s = res_.compute();
  std::vector<float> cl(rows), w;
  download_async(cl.data(), closest_.get() + r0, rows, s);
  if (data_.device_weights()) {
    w.resize(rows);
    download_async(w.data(), data_.device_weights() + r0, rows, s);
  }
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(s));
  const float* wp = w.empty() ? nullptr : w.data();
  return static_cast<std::int64_t>(r0 + cuda_plan::pick_in_chunk(cl.data(), wp, rows, c.before, target));
}

std::vector<float> DeviceFit::init_plus_plus(std::uint64_t seed) {
  Rng rng(seed);
  const int L = 2 + static_cast<int>(std::log(static_cast<double>(k_)));
  closest_.resize(n_);
  cands_.resize(static_cast<std::size_t>(L) * d_);
  float* cent = cent_[0].get();
  cudaStream_t s = res_.compute();
  data_.gather({first_center(rng)}, cent);
  data_.for_each_tile([&](const Tile& t) { update_closest(t, cent, 1, closest_.get(), true, s); });
  std::vector<double> pots = chunk_pots(nullptr, 0);
  std::size_t cols = 1, col = 0;
  for (int c = 1; c < k_; ++c) {
    double total = 0;
    for (std::size_t q = 0; q < chunks_; ++q) total += pots[q * cols + col];
    std::vector<std::int64_t> picks(L);
    for (int l = 0; l < L; ++l) picks[l] = pick_row(pots, col, cols, rng.uniform() * total);
    data_.gather(picks, cands_.get());
    pots = chunk_pots(cands_.get(), L);
    cols = static_cast<std::size_t>(L) + 1;
    int best = 0;
    std::vector<double> cand_total(L, 0.0);
    for (int l = 0; l < L; ++l) {
      for (std::size_t q = 0; q < chunks_; ++q) cand_total[l] += pots[q * cols + l];
      if (cand_total[l] < cand_total[best]) best = l;  // first candidate on ties
    }
    col = static_cast<std::size_t>(best);
    float* dst = cent + static_cast<std::size_t>(c) * d_;
    copy_device_async(dst, cands_.get() + static_cast<std::size_t>(best) * d_,
                      static_cast<std::size_t>(d_), s);
    data_.for_each_tile([&](const Tile& t) { update_closest(t, dst, 1, closest_.get(), false, s); });
  }
  std::vector<float> out(static_cast<std::size_t>(k_) * d_);
  cuda::download(out.data(), cent, out.size(), s);
  return out;
}

std::vector<float> DeviceFit::init_random(std::uint64_t seed) {
  Rng rng(seed);
  // Floyd's algorithm: k distinct rows, then in draw order.
  std::set<std::int64_t> seen;
  std::vector<std::int64_t> idx;
  for (std::size_t j = n_ - k_; j < n_; ++j) {
    std::int64_t t = static_cast<std::int64_t>(rng.below(j + 1));
    if (seen.count(t)) t = static_cast<std::int64_t>(j);
    seen.insert(t);
    idx.push_back(t);
  }
  std::vector<float> out(static_cast<std::size_t>(k_) * d_);
  const MatrixView x = data_.host();
  for (int c = 0; c < k_; ++c)
    std::copy(x.row(idx[c]), x.row(idx[c]) + d_, out.begin() + static_cast<std::size_t>(c) * d_);
  return out;
}

std::vector<float> DeviceFit::init_parallel(std::uint64_t seed, double oversampling, int rounds,
                                            int threads) {
  Rng rng(seed);
  cudaStream_t s = res_.compute();
  closest_.resize(n_);
  DeviceBuffer<std::uint8_t> flags(n_);
  std::vector<std::int64_t> cand{first_center(rng)};
  cands_.resize(static_cast<std::size_t>(d_));
  data_.gather(cand, cands_.get());
  data_.for_each_tile([&](const Tile& t) { update_closest(t, cands_.get(), 1, closest_.get(), true, s); });
  std::vector<std::uint8_t> hflags(n_);
  const double l = oversampling * k_;
  for (int round = 0; round < rounds; ++round) {
    std::vector<double> pots = chunk_pots(nullptr, 0);
    double pot = 0;
    for (double v : pots) pot += v;
    if (!(pot > 0)) break;
    data_.for_each_tile([&](const Tile& t) {
      sample_parallel(t, closest_.get(), l, pot, seed, round, flags.get(), s);
    });
    cuda::download(hflags.data(), flags.get(), n_, s);
    std::vector<std::int64_t> fresh;
    for (std::size_t i = 0; i < n_; ++i)
      if (hflags[i]) fresh.push_back(static_cast<std::int64_t>(i));
    if (fresh.empty()) continue;
    DeviceBuffer<float> fc(fresh.size() * d_);
    data_.gather(fresh, fc.get());
    data_.for_each_tile([&](const Tile& t) {
      update_closest(t, fc.get(), static_cast<int>(fresh.size()), closest_.get(), false, s);
    });
    cand.insert(cand.end(), fresh.begin(), fresh.end());
  }
  if (cand.size() < static_cast<std::size_t>(k_)) return init_plus_plus(seed);  // tiny data
  // Weight each candidate by the rows nearest to it, then reduce to k on the host.
  const int m = static_cast<int>(cand.size());
  DeviceBuffer<float> cdev(static_cast<std::size_t>(m) * d_);
  data_.gather(cand, cdev.get());
  DeviceBuffer<unsigned long long> wf(m);
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(wf.get(), 0, m * 8, s));
  data_.for_each_tile([&](const Tile& t) { candidate_weights(t, cdev.get(), m, wf.get(), s); });
  std::vector<unsigned long long> hw(m);
  std::vector<float> cx(static_cast<std::size_t>(m) * d_);
  download_async(hw.data(), wf.get(), hw.size(), s);
  cuda::download(cx.data(), cdev.get(), cx.size(), s);
  std::vector<float> w(m);
  for (int i = 0; i < m; ++i) w[i] = static_cast<float>(detail::from_fixed_weight(hw[i]));
  // The CPU backend's weighted greedy k-means++ over the candidates, as its k-means|| does.
  const MatrixView cv{cx.data(), static_cast<std::size_t>(m), static_cast<std::size_t>(d_)};
  return kmeans::init_kmeans_pp(cv, w.data(), k_, rng, threads);
}

}  // namespace segmint::cuda
