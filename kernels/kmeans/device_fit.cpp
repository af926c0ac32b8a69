// DeviceFit: the assignment pass (fused or cuBLAS + argmin) in batches of whole chunks, the fold
// of their partials in the CPU backend's order, the centroid update, and the Lloyd loop with one
// status copy per step, mirroring host/kmeans/lloyd.cpp step for step.
#include "kmeans/device_fit.hpp"

#include <algorithm>
#include <cmath>

#include "core/transfer.hpp"
#include "segmint/cancel.hpp"

namespace segmint::cuda {

DeviceFit::DeviceFit(Resources& res, DataSource& data, int k, cuda_plan::AssignPath path)
    : res_(res), data_(data), k_(k), d_(data.cols()), n_(data.rows()), path_(path) {
  chunk_ = cuda_plan::chunk_rows(k_, d_);
  chunks_ = cuda_plan::chunk_count(n_, chunk_);
  width_ = cuda_plan::partial_width(k_, d_);
  const std::size_t batch = std::max<std::size_t>(
      1, std::min(cuda_plan::partial_batch_chunks(k_, d_), chunks_));
  batch_rows_ = batch * chunk_;
  if (path_ == cuda_plan::AssignPath::fused) {
    if (d_ > cuda_plan::kFusedMaxDim || fused_smem_bytes(k_, d_, true) > res_.smem_optin())
      throw DeviceError("fused GPU path: k = " + std::to_string(k_) + " x d = " +
                        std::to_string(d_) + " does not fit in shared memory");
  } else {
    if (labeled_smem_bytes(k_) > res_.smem_optin())
      throw DeviceError("GPU backend: k = " + std::to_string(k_) + " is too large for one device");
    gemm_rows_ = std::min(cuda_plan::gemm_batch_rows(k_, chunk_), batch_rows_);
    dot_.resize(gemm_rows_ * static_cast<std::size_t>(k_));
  }
  labels_.resize(std::max<std::size_t>(1, n_));
  d2_.resize(std::max<std::size_t>(1, n_));
  partials_.resize(batch * std::max<std::size_t>(width_, d_));
  present_.resize(batch * static_cast<std::size_t>(k_));
  totals_.resize(std::max<std::size_t>(width_, d_));
  per_chunk_.resize(std::max<std::size_t>(1, chunks_) * 32);
  for (auto& c : cent_) c.resize(static_cast<std::size_t>(k_) * d_);
  cn_.resize(k_);
  bound_.resize(1);
  changed_.resize(1);
  status_.resize(1);
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(labels_.get(), 0xff, n_ * sizeof(std::int32_t), res_.compute()));
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(changed_.get(), 0, sizeof(unsigned long long), res_.compute()));
}

void DeviceFit::assign_pass(const float* c, bool accumulate) {
  cudaStream_t s = res_.compute();
  screen_prep(c, k_, d_, cn_.get(), bound_.get(), s);
  if (accumulate) SEGMINT_CUDA_CHECK(cudaMemsetAsync(totals_.get(), 0, width_ * 8, s));
  const PassMode mode{accumulate, !accumulate};
  data_.for_each_tile([&](const Tile& t) {
    for (std::size_t b = 0; b < t.rows; b += batch_rows_) {
      const Tile sub{t.x + b * t.d, std::min(batch_rows_, t.rows - b), t.row0 + b, t.d, t.weights};
      assign_tile(sub, c, mode);
    }
  });
}

void DeviceFit::assign_tile(const Tile& t, const float* c, PassMode mode) {
  const AssignOut out{labels_.get(), d2_.get(), changed_.get()};
  const Partials p{partials_.get(), present_.get(), width_, chunk_};
  const ScreenTable screen{cn_.get(), bound_.get()};
  cudaStream_t s = res_.compute();
  if (path_ == cuda_plan::AssignPath::fused) {
    fused_assign(t, c, screen, k_, out, p, mode, res_.max_blocks(), s);
  } else {
    const float one = 1.f, zero = 0.f;
    for (std::size_t b0 = 0; b0 < t.rows; b0 += gemm_rows_) {
      const std::size_t nb = std::min(gemm_rows_, t.rows - b0);
      // Row-major dot (nb x k) = X_b (nb x d) . C^T, i.e. column-major C^T' = C . X_b^T.
      SEGMINT_CUBLAS_CHECK(blas::api().sgemm(res_.blas(), CUBLAS_OP_T, CUBLAS_OP_N, k_,
                                       static_cast<int>(nb), d_, &one, c, d_, t.x + b0 * d_, d_,
                                       &zero, dot_.get(), k_));
      gemm_argmin(t, b0, nb, dot_.get(), screen, c, k_, out, mode.want_d2, s);
    }
    if (mode.accumulate) labeled_reduce(t, labels_.get(), k_, p, s);
  }
  if (mode.accumulate)
    fold_partials(p.data, p.present, cuda_plan::chunk_count(t.rows, chunk_), width_, k_, d_,
                  totals_.get(), s);
}

IterStatus DeviceFit::finalize(const float* old_c, float* new_c) {
  finalize_centroids(totals_.get(), old_c, k_, d_, new_c, changed_.get(), tol_, status_.get(),
                     res_.compute());
  return download_status();
}

IterStatus DeviceFit::download_status() {
  IterStatus* host = status_slot_as<IterStatus>(res_);
  cuda::download(host, status_.get(), 1, res_.compute());
  return *host;
}

void DeviceFit::distances_to_labels(const float* c) {
  data_.for_each_tile(
      [&](const Tile& t) { label_distances(t, c, labels_.get(), d2_.get(), res_.compute()); });
}

double DeviceFit::inertia() {
  const float* w = data_.device_weights();
  chunk_weighted_sums(d2_.get(), w, n_, chunk_, per_chunk_.get(), res_.compute());
  const std::vector<double> part = cuda::download(per_chunk_.get(), chunks_, res_.compute());
  double total = 0;
  for (double p : part) total += p;  // chunk order, as the CPU's weighted_sum
  return total;
}

IterStatus DeviceFit::step(const float* c, float* next) {
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(changed_.get(), 0, sizeof(unsigned long long), res_.compute()));
  assign_pass(c, true);
  IterStatus st = finalize(c, next);
  repaired_ = st.empty > 0;
  if (repaired_) {  // as the CPU: distances of this pass's labels, then the repair
    distances_to_labels(c);
    relocate_empty(c, next, st);
  }
  return st;
}

KMeansResult DeviceFit::lloyd(const std::vector<float>& init, int max_iter, double tol_abs) {
  cudaStream_t s = res_.compute();
  int cur = 0;
  tol_ = tol_abs;
  repaired_ = false;
  upload_async(cent_[cur].get(), init.data(), init.size(), s);  // `init` outlives the fit
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(labels_.get(), 0xff, n_ * sizeof(std::int32_t), s));
  KMeansResult r;
  bool strict = false;
  for (int it = 0; it < max_iter; ++it) {
    throw_if_cancelled();
    const IterStatus st = step(cent_[cur].get(), cent_[cur ^ 1].get());
    cur ^= 1;
    r.iterations = it + 1;
    if (st.changed == 0) {  // strict convergence: labels of this pass are final
      strict = r.converged = true;
      break;
    }
    if (st.within_tol) {
      r.converged = true;
      break;
    }
  }
  // Labels, distances and inertia as the CPU's lloyd: a final pass for the returned centroids,
  // or (strict) the distances of the last pass's labels to that pass's centroids.
  if (!strict)
    assign_pass(cent_[cur].get(), false);
  else if (!repaired_)
    distances_to_labels(cent_[cur ^ 1].get());
  r.centroids.resize(static_cast<std::size_t>(k_) * d_);
  cuda::download(r.centroids.data(), cent_[cur].get(), r.centroids.size(), s);
  r.inertia = inertia();
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
