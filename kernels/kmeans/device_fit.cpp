// DeviceFit: the assignment pass (fused or cuBLAS + argmin), the fixed-order reduction, the
// centroid update with empty-cluster repair, and the Lloyd loop with one status copy per step.
#include "kmeans/device_fit.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/transfer.hpp"
#include "segmint/cancel.hpp"

namespace segmint::cuda {

namespace {
constexpr std::size_t kTreeGroup = 32;
}

DeviceFit::DeviceFit(Resources& res, DataSource& data, int k, cuda_plan::AssignPath path)
    : res_(res), data_(data), k_(k), d_(data.cols()), n_(data.rows()), path_(path) {
  chunk_ = cuda_plan::chunk_rows(k_, d_);
  chunks_ = cuda_plan::chunk_count(n_, chunk_);
  width_ = cuda_plan::partial_width(k_, d_);
  if (path_ == cuda_plan::AssignPath::fused) {
    if (fused_smem_bytes(k_, d_, true) > res_.smem_optin())
      throw DeviceError("fused GPU path: k = " + std::to_string(k_) + " x d = " +
                        std::to_string(d_) + " does not fit in shared memory");
  } else {
    if (labeled_smem_bytes(k_, false, width_) > res_.smem_optin())
      throw DeviceError("GPU backend: k = " + std::to_string(k_) + " is too large for one device");
    acc_in_smem_ = labeled_smem_bytes(k_, true, width_) <= res_.smem_optin();
    gemm_rows_ = cuda_plan::gemm_batch_rows(k_, chunk_);
    dot_.resize(std::min(gemm_rows_, std::max(n_, chunk_)) * static_cast<std::size_t>(k_));
    cn_.resize(k_);
  }
  labels_.resize(std::max<std::size_t>(1, n_));
  d2_.resize(std::max<std::size_t>(1, n_));
  partials_.resize(chunks_ * std::max<std::size_t>(width_, d_));
  const std::size_t level = (chunks_ + kTreeGroup - 1) / kTreeGroup;
  for (auto& t : tree_) t.resize(std::max<std::size_t>(1, level) * std::max<std::size_t>(width_, d_));
  for (auto& c : cent_) c.resize(static_cast<std::size_t>(k_) * d_);
  changed_.resize(1);
  status_.resize(1);
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(labels_.get(), 0xff, n_ * sizeof(std::int32_t), res_.compute()));
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(changed_.get(), 0, sizeof(unsigned long long), res_.compute()));
}

void DeviceFit::assign_pass(const float* c, bool accumulate) {
  const AssignOut out{labels_.get(), d2_.get(), changed_.get()};
  const Partials p{partials_.get(), width_, chunk_};
  cudaStream_t s = res_.compute();
  if (path_ == cuda_plan::AssignPath::gemm) centroid_norms(c, k_, d_, cn_.get(), s);
  data_.for_each_tile([&](const Tile& t) {
    if (path_ == cuda_plan::AssignPath::fused) {
      fused_assign(t, c, k_, out, p, accumulate, res_.max_blocks(), s);
      return;
    }
    const float one = 1.f, zero = 0.f;
    for (std::size_t b0 = 0; b0 < t.rows; b0 += gemm_rows_) {
      const std::size_t nb = std::min(gemm_rows_, t.rows - b0);
      // Row-major dot (nb x k) = X_b (nb x d) . C^T, i.e. column-major C^T' = C . X_b^T.
      SEGMINT_CUBLAS_CHECK(cublasSgemm(res_.blas(), CUBLAS_OP_T, CUBLAS_OP_N, k_,
                                       static_cast<int>(nb), d_, &one, c, d_, t.x + b0 * d_, d_,
                                       &zero, dot_.get(), k_));
      gemm_argmin(t, b0, nb, dot_.get(), cn_.get(), c, k_, out, s);
    }
    if (accumulate) labeled_reduce(t, labels_.get(), d2_.get(), k_, p, acc_in_smem_,
                                   res_.max_blocks(), s);
  });
}

const double* DeviceFit::reduce() {
  const double* in = partials_.get();
  std::size_t parts = chunks_;
  int next = 0;
  while (parts > 1) {
    double* out = tree_[next].get();
    reduce_partials_level(in, parts, width_, kTreeGroup, out, res_.compute());
    in = out;
    parts = (parts + kTreeGroup - 1) / kTreeGroup;
    next ^= 1;
  }
  return in;
}

IterStatus DeviceFit::finalize(const float* old_c, float* new_c) {
  finalize_centroids(reduce(), old_c, k_, d_, new_c, changed_.get(), status_.get(), res_.compute());
  return download_status();
}

IterStatus DeviceFit::download_status() {
  IterStatus* host = status_slot_as<IterStatus>(res_);
  cuda::download(host, status_.get(), 1, res_.compute());
  return *host;
}

// Empty clusters take the rows farthest from their centroid (largest d2, ties to the lowest
// row), as scikit-learn's _relocate_empty_clusters: rare, so done on the host.
void DeviceFit::relocate_empty(const float* old_c, float* new_c, IterStatus& st) {
  const double* dtot = reduce();
  const cudaStream_t s = res_.compute();
  std::vector<double> tot(width_);
  std::vector<float> d2(n_);
  std::vector<std::int32_t> labels(n_);
  download_async(tot.data(), dtot, width_, s);
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
      tot[kd + k_ + from] -= 1;
      tot[kd + k_ + to] = 1;
      upload(labels_.get() + r, &to, 1, s);  // waits: &to is a loop variable
      ++next;
      break;
    }
  }
  // Write the repaired totals where reduce() left them and redo the update from them.
  upload_async(const_cast<double*>(dtot), tot.data(), width_, s);
  finalize_centroids(dtot, old_c, k_, d_, new_c, changed_.get(), status_.get(), s);
  st = download_status();  // waits, so `tot` outlives the upload
}

double DeviceFit::variance_sum() {
  if (n_ == 0) return 0;
  cudaStream_t s = res_.compute();
  auto column_totals = [&](const double* mean) {
    data_.for_each_tile([&](const Tile& t) { column_moments(t, mean, chunk_, partials_.get(), s); });
    const double* in = partials_.get();
    std::size_t parts = chunks_;
    int next = 0;
    while (parts > 1) {
      reduce_partials_level(in, parts, d_, kTreeGroup, tree_[next].get(), s);
      in = tree_[next].get();
      parts = (parts + kTreeGroup - 1) / kTreeGroup;
      next ^= 1;
    }
    return cuda::download(in, static_cast<std::size_t>(d_), s);
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

IterStatus DeviceFit::step(const float* c, float* next) {
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(changed_.get(), 0, sizeof(unsigned long long), res_.compute()));
  assign_pass(c, true);
  IterStatus st = finalize(c, next);
  if (st.empty > 0) relocate_empty(c, next, st);
  return st;
}

KMeansResult DeviceFit::lloyd(const std::vector<float>& init, int max_iter, double tol_abs) {
  cudaStream_t s = res_.compute();
  int cur = 0;
  upload_async(cent_[cur].get(), init.data(), init.size(), s);  // `init` outlives the fit
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(labels_.get(), 0xff, n_ * sizeof(std::int32_t), s));
  KMeansResult r;
  bool strict = false;
  double inertia = 0;
  for (int it = 0; it < max_iter; ++it) {
    throw_if_cancelled();
    const IterStatus st = step(cent_[cur].get(), cent_[cur ^ 1].get());
    inertia = st.inertia;
    cur ^= 1;
    r.iterations = it + 1;
    if (st.changed == 0) {  // strict convergence: labels of this pass are final
      strict = true;
      r.converged = true;
      break;
    }
    if (st.shift <= tol_abs) {
      r.converged = true;
      break;
    }
  }
  if (!strict) {  // labels, distances and inertia must refer to the returned centroids
    assign_pass(cent_[cur].get(), true);
    const double* tot = reduce();
    download_async(&inertia, tot + (width_ - 1), 1, s);
  }
  r.centroids.resize(static_cast<std::size_t>(k_) * d_);
  cuda::download(r.centroids.data(), cent_[cur].get(), r.centroids.size(), s);
  r.inertia = inertia;
  download(r.labels, r.distances);
  return r;
}

void DeviceFit::download(std::vector<std::int32_t>& labels, std::vector<float>& distances) const {
  labels.resize(n_);
  distances.resize(n_);
  download_async(labels.data(), labels_.get(), n_, res_.compute());
  cuda::download(distances.data(), d2_.get(), n_, res_.compute());
  for (float& v : distances) v = std::sqrt(v);
}

}  // namespace segmint::cuda
