// DataSource: upload, double-buffered streaming from pinned memory, and row gathers.
#include "kmeans/data_source.hpp"

#include <algorithm>
#include <cstring>

#include "core/transfer.hpp"

namespace segmint::cuda {

DataSource::DataSource(Resources& res, MatrixView x, const float* weights,
                       const cuda_plan::MemoryPlan& plan, const float* on_device)
    : res_(res), x_(x), plan_(plan) {
  const std::size_t d = x.cols;
  if (plan_.resident && on_device) {
    resident_x_ = on_device;
  } else if (plan_.resident) {
    dev_[0].resize(std::max<std::size_t>(1, x.rows * d));
    upload_async(dev_[0].get(), x.data, x.rows * d, res_.compute());
    resident_x_ = dev_[0].get();
  } else {
    for (int b = 0; b < 2; ++b) dev_[b].resize(plan_.tile_rows * d);
    // Page-lock the caller's matrix in place (read only): tiles then copy straight from it.
    void* p = const_cast<float*>(x.data);
    registered_ = x.rows * d > 0 &&
                  cudaHostRegister(p, x.rows * d * sizeof(float), cudaHostRegisterReadOnly) ==
                      cudaSuccess;
    if (!registered_) {
      clear_last_error();  // not fatal: stage through pinned buffers instead
      for (int b = 0; b < 2; ++b) pinned_[b].resize(plan_.tile_rows * d);
    }
  }
  if (weights) {
    weights_.resize(x.rows);
    upload_async(weights_.get(), weights, x.rows, res_.compute());
  }
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(res_.compute()));
}

DataSource::~DataSource() {
  if (!registered_) return;
  // Copies may still read the matrix: wait for them before unpinning it (errors dropped).
  if (cudaStreamSynchronize(res_.copy()) != cudaSuccess) clear_last_error();
  if (cudaHostUnregister(const_cast<float*>(x_.data)) != cudaSuccess) clear_last_error();
}

const float* DataSource::stage(std::size_t t, std::size_t row0, std::size_t rows) {
  const int b = static_cast<int>(t % 2);
  if (held_[b] == t) return dev_[b].get();  // still there from the last pass (two tiles or one)
  const std::size_t count = rows * x_.cols;
  const float* src = x_.data + row0 * x_.cols;
  if (!registered_) {
    // The pinned buffer is free once its previous upload finished.
    if (used_[b]) copied_[b].sync();
    float* dst = pinned_[b].get();
    const long long parts = 16, step = static_cast<long long>((count + parts - 1) / parts);
    // omp: cannot throw (a memcpy into the pinned buffer): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(4)
    for (long long q = 0; q < parts; ++q) {
      const long long from = q * step;
      if (from < static_cast<long long>(count))
        std::memcpy(dst + from, src + from,
                    std::min<long long>(step, static_cast<long long>(count) - from) * sizeof(float));
    }
    src = dst;
  }
  // The device buffer is free once the compute that read it finished (waited on the device).
  if (used_[b]) done_[b].wait_on(res_.copy());
  upload_async(dev_[b].get(), src, count, res_.copy());
  copied_[b].record(res_.copy());
  copied_[b].wait_on(res_.compute());
  used_[b] = true;
  held_[b] = t;
  return dev_[b].get();
}

void DataSource::gather(const std::vector<std::int64_t>& idx, float* dev_out) {
  if (idx.empty()) return;
  const std::size_t d = x_.cols;
  if (plan_.resident) {
    idx_.resize(idx.size());
    upload_async(idx_.get(), idx.data(), idx.size(), res_.compute());
    gather_rows(resident_x_, static_cast<int>(d), idx_.get(), static_cast<int>(idx.size()),
                dev_out, res_.compute());
    // idx is the caller's: wait before it can change.
    SEGMINT_CUDA_CHECK(cudaStreamSynchronize(res_.compute()));
    return;
  }
  std::vector<float> rows(idx.size() * d);
  for (std::size_t i = 0; i < idx.size(); ++i)
    std::memcpy(rows.data() + i * d, x_.data + static_cast<std::size_t>(idx[i]) * d, d * sizeof(float));
  upload(dev_out, rows.data(), rows.size(), res_.compute());  // waits: `rows` is local
}

}  // namespace segmint::cuda
