// Dense row-major float32 matrices, non-owning views of them, and the opaque handle of a copy a
// backend keeps in device memory.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace segmint {

/// A copy of a matrix's values in a backend's device memory, opaque to host code. The backend
/// that computed a matrix may attach one (Backend::features, Backend::scale), so that its later
/// stages (scale, kmeans, assign) take the matrix without a host round trip; other backends and
/// host code ignore it and read the host values.
class DeviceCopy {
 public:
  virtual ~DeviceCopy() = default;
};

/// Non-owning view of a row-major n x d float32 matrix (host memory).
struct MatrixView {
  const float* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  const DeviceCopy* device = nullptr;  ///< the same values in device memory, or none
  const float* row(std::size_t i) const { return data + i * cols; }
};

/// Owning row-major n x d float32 matrix with column names.
struct FeatureMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> values;       ///< rows * cols, row-major
  std::vector<std::string> names;  ///< cols entries
  /// The same values in a backend's device memory, or none. Code that changes `values` after a
  /// backend produced them must reset it.
  std::shared_ptr<const DeviceCopy> device;
  MatrixView view() const { return {values.data(), rows, cols, device.get()}; }
  float& at(std::size_t i, std::size_t j) { return values[i * cols + j]; }
  float at(std::size_t i, std::size_t j) const { return values[i * cols + j]; }
};

}  // namespace segmint
