// Dense row-major float32 matrices and non-owning views of them.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace segmint {

/// Non-owning view of a row-major n x d float32 matrix (host memory).
struct MatrixView {
  const float* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  const float* row(std::size_t i) const { return data + i * cols; }
};

/// Owning row-major n x d float32 matrix with column names.
struct FeatureMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> values;       ///< rows * cols, row-major
  std::vector<std::string> names;  ///< cols entries
  MatrixView view() const { return {values.data(), rows, cols}; }
  float& at(std::size_t i, std::size_t j) { return values[i * cols + j]; }
  float at(std::size_t i, std::size_t j) const { return values[i * cols + j]; }
};

}  // namespace segmint
