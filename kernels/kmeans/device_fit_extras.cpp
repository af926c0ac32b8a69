// DeviceFit's rarer steps: the empty-cluster repair (on the host, as host/kmeans/lloyd.cpp's
// repair_empty) and the feature variance of the tolerance (as kmeans::feature_variance_sum).
#include <algorithm>
#include <numeric>

#include "core/transfer.hpp"
#include "kmeans/device_fit.hpp"

namespace segmint::cuda {

// Empty clusters take the rows farthest from their centroid (largest d2, ties to the lowest
// row), as scikit-learn's _relocate_empty_clusters: rare, so done on the host.
void DeviceFit::relocate_empty(const float* old_c, float* new_c, IterStatus& st) {
  const cudaStream_t s = res_.compute();
  std::vector<double> tot(width_);
  std::vector<float> d2(n_);
  std::vector<std::int32_t> labels(n_);
  download_async(tot.data(), totals_.get(), width_, s);
  download_async(d2.data(), d2_.get(), n_, s);
  download_async(labels.data(), labels_.get(), n_, s);
  std::vector<float> w(n_, 1.f);
  if (data_.device_weights()) download_async(w.data(), data_.device_weights(), n_, s);
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(s));
  const std::size_t kd = static_cast<std::size_t>(k_) * d_;
  std::vector<int> empty;
  for (int c = 0; c < k_; ++c)
    if (!(tot[kd + c] > 0.0)) empty.push_back(c);
  // As the CPU backend: farthest rows first; a row never leaves its cluster empty and a row of
  // weight 0 cannot fill one; the moved row takes the new label.
  std::vector<std::int64_t> order(n_);
  std::iota(order.begin(), order.end(), 0);
  auto farther = [&](std::int64_t a, std::int64_t b) {
    return d2[a] != d2[b] ? d2[a] > d2[b] : a < b;
  };
  std::size_t sorted = std::min(n_, empty.size() * 4 + 16);
  std::partial_sort(order.begin(), order.begin() + sorted, order.end(), farther);
  const MatrixView x = data_.host();
  std::size_t next = 0;
  for (int to : empty) {
    for (; next < n_; ++next) {
      if (next == sorted) {  // many rows were unusable: order the rest too
        std::sort(order.begin() + sorted, order.end(), farther);
        sorted = n_;
      }
      const std::int64_t r = order[next];
      const double wr = w[r];
      const int from = labels[r];
      if (wr <= 0 || tot[kd + from] - wr <= 0) continue;
      const float* xr = x.row(static_cast<std::size_t>(r));
      for (int j = 0; j < d_; ++j) {
        tot[static_cast<std::size_t>(from) * d_ + j] -= wr * xr[j];
        tot[static_cast<std::size_t>(to) * d_ + j] = wr * xr[j];
      }
      tot[kd + from] -= wr;
      tot[kd + to] = wr;
      upload(labels_.get() + r, &to, 1, s);  // waits: &to is a loop variable
      ++next;
      break;
    }
  }
  // Write the repaired totals back and redo the update from them.
  upload_async(totals_.get(), tot.data(), width_, s);
  finalize_centroids(totals_.get(), old_c, k_, d_, new_c, changed_.get(), tol_, status_.get(), s);
  st = download_status();  // waits, so `tot` outlives the upload
}

double DeviceFit::variance_sum() {
  if (n_ == 0) return 0;
  cudaStream_t s = res_.compute();
  auto column_totals = [&](const double* mean) {
    SEGMINT_CUDA_CHECK(cudaMemsetAsync(totals_.get(), 0, static_cast<std::size_t>(d_) * 8, s));
    data_.for_each_tile([&](const Tile& t) {
      for (std::size_t b = 0; b < t.rows; b += batch_rows_) {
        const Tile sub{t.x + b * t.d, std::min(batch_rows_, t.rows - b), t.row0 + b, t.d,
                       t.weights};
        column_moments(sub, mean, chunk_, partials_.get(), s);
        fold_partials(partials_.get(), nullptr, cuda_plan::chunk_count(sub.rows, chunk_), d_, 0,
                      d_, totals_.get(), s);
      }
    });
    return cuda::download(totals_.get(), static_cast<std::size_t>(d_), s);
  };
  std::vector<double> mean = column_totals(nullptr);
  for (double& m : mean) m /= static_cast<double>(n_);
  mean_.resize(d_);
  upload_async(mean_.get(), mean.data(), mean.size(), s);  // `mean` lives past the next sync
  std::vector<double> var = column_totals(mean_.get());
  double sum = 0;
  for (double v : var) sum += v / static_cast<double>(n_);
  return sum;
}

}  // namespace segmint::cuda
