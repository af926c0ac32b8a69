// A matrix kept in this backend's device memory: the DeviceCopy (segmint/matrix.hpp) the CUDA
// backend attaches to the raw features and the scaled matrix, so that scale, k-means and assign
// take them without a host round trip. Holds only its buffer: it may outlive the backend.
#pragma once
#include <cstddef>
#include <memory>

#include "core/cuda_raii.hpp"
#include "segmint/matrix.hpp"

namespace segmint::cuda {

class DeviceMatrix final : public DeviceCopy {
 public:
  DeviceMatrix(int device, std::size_t rows, std::size_t cols)
      : device_(device), rows_(rows), cols_(cols), values_(rows * cols > 0 ? rows * cols : 1) {}
  float* get() const { return values_.get(); }
  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  int device() const { return device_; }

  /// The device copy behind `view` when it is a DeviceMatrix on `device` of view's shape;
  /// nullptr otherwise (another backend's copy, none, or a stale one).
  static const DeviceMatrix* of(const MatrixView& view, int device) {
    const auto* m = dynamic_cast<const DeviceMatrix*>(view.device);
    if (!m || m->device_ != device || m->rows_ != view.rows || m->cols_ != view.cols) return nullptr;
    return m;
  }

 private:
  int device_;
  std::size_t rows_, cols_;
  DeviceBuffer<float> values_;
};

}  // namespace segmint::cuda
