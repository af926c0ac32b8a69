// One k-means fit on the device: the per-row arrays, partials and centroids it owns, the
// assignment / reduction / update passes, the Lloyd loop and the initialisations.
#pragma once
#include <cstdint>
#include <vector>

#include "kmeans/data_source.hpp"
#include "cuda_plan/kmeans_plan.hpp"
#include "core/resources.hpp"
#include "segmint/detail/rng.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::cuda {

class DeviceFit {
 public:
  DeviceFit(Resources& res, DataSource& data, int k, cuda_plan::AssignPath path);

  /// Labels for `centroids` (device, k x d) over all tiles, label changes added to the device
  /// counter. With `accumulate` also the totals (the CPU's chunk partials folded in chunk order)
  /// and no distances; without, the exact squared distances (as the CPU's assign with dist_sq).
  void assign_pass(const float* centroids, bool accumulate);
  /// One Lloyd iteration from centroids c (device) into next (device): assignment, fold,
  /// update, empty-cluster repair; returns the status (the one small copy per iteration).
  IterStatus step(const float* c, float* next);
  /// Lloyd from `init` (k x d host); fills labels, distances, centroids, inertia, iterations.
  KMeansResult lloyd(const std::vector<float>& init, int max_iter, double tol_abs);
  /// Sum over features of the population variance of each (two passes over the data).
  double variance_sum();

  /// Initial centroids (k x d, host) for one run. threads: host OpenMP threads of the weighted
  /// k-means++ that reduces the k-means|| candidates (0 = all).
  std::vector<float> init_plus_plus(std::uint64_t seed);
  std::vector<float> init_parallel(std::uint64_t seed, double oversampling, int rounds,
                                   int threads);
  std::vector<float> init_random(std::uint64_t seed);

  /// Downloads labels and Euclidean distances of the last assignment.
  void download(std::vector<std::int32_t>& labels, std::vector<float>& distances) const;

 private:
  /// The pass over one tile, in batches of whole chunks (partials folded after each).
  void assign_tile(const Tile& t, const float* c, PassMode mode);
  IterStatus finalize(const float* old_c, float* new_c);
  /// Copies the device status into the pinned slot (after the work queued so far) and returns it.
  IterStatus download_status();
  /// d2 = exact squared distance of every row to its label's centroid in c.
  void distances_to_labels(const float* c);
  void relocate_empty(const float* old_c, float* new_c, IterStatus& st);
  /// The CPU's weighted_sum of d2 (per-chunk sums on the device, folded here in chunk order).
  double inertia();
  std::int64_t first_center(detail::Rng& rng);
  /// Per-chunk sums of w * closest (and of L candidates' potentials), downloaded.
  std::vector<double> chunk_pots(const float* cands, int L);
  std::int64_t pick_row(const std::vector<double>& chunk_pot, std::size_t col, std::size_t cols,
                        double target);

  Resources& res_;
  DataSource& data_;
  int k_, d_;
  std::size_t n_;
  cuda_plan::AssignPath path_;
  std::size_t chunk_, chunks_, width_, batch_rows_;
  double tol_ = 0;          ///< absolute tolerance of the running fit (finalize decides with it)
  bool repaired_ = false;   ///< the last step repaired empty clusters (d2 holds its distances)
  DeviceBuffer<std::int32_t> labels_;
  DeviceBuffer<float> d2_;
  DeviceBuffer<float> closest_;
  DeviceBuffer<double> partials_;
  DeviceBuffer<std::uint8_t> present_;
  DeviceBuffer<double> totals_;
  DeviceBuffer<double> per_chunk_;  ///< init potentials, inertia partials
  DeviceBuffer<float> cent_[2];
  DeviceBuffer<float> cands_;
  DeviceBuffer<unsigned long long> changed_;
  DeviceBuffer<IterStatus> status_;
  DeviceBuffer<float> dot_;
  DeviceBuffer<float> cn_;
  DeviceBuffer<detail::ScreenBound> bound_;
  DeviceBuffer<double> mean_;
  std::size_t gemm_rows_ = 0;
};

}  // namespace segmint::cuda
