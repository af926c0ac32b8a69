// Device scaler kernels: per-(chunk, column) sums in row order, one thread per column adding the
// chunks in chunk order (deterministic), and the element-wise transform.
#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "features/scale_kernels.hpp"

namespace segmint::cuda {
namespace {

using detail::ColumnSums;

__global__ void __launch_bounds__(kBlock)
    chunk_sums_kernel(const float* m, std::size_t rows, std::size_t cols, const std::uint8_t* lg,
                      std::size_t chunk, std::size_t chunks, ColumnSums* partials) {
  for (std::size_t i = global_thread(); i < chunks * cols; i += grid_threads()) {
    const std::size_t c = i / cols, j = i % cols;
    const std::size_t end = (c + 1) * chunk < rows ? (c + 1) * chunk : rows;
    partials[i] = detail::column_sums(m, cols, j, lg[j] != 0, c * chunk, end);
  }
}

__global__ void __launch_bounds__(kBlock)
    combine_sums_kernel(const ColumnSums* partials, std::size_t chunks, std::size_t cols,
                        std::size_t rows, ColumnSums* totals, double* means) {
  for (std::size_t j = global_thread(); j < cols; j += grid_threads()) {
    ColumnSums t = detail::empty_column_sums();
    for (std::size_t c = 0; c < chunks; ++c) detail::add_column_sums(t, partials[c * cols + j]);
    totals[j] = t;
    means[j] = rows ? t.sum / static_cast<double>(rows) : 0.0;
  }
}

__global__ void __launch_bounds__(kBlock)
    chunk_squares_kernel(const float* m, std::size_t rows, std::size_t cols,
                         const std::uint8_t* lg, const double* means, std::size_t chunk,
                         std::size_t chunks, double* partials) {
  for (std::size_t i = global_thread(); i < chunks * cols; i += grid_threads()) {
    const std::size_t c = i / cols, j = i % cols;
    const std::size_t end = (c + 1) * chunk < rows ? (c + 1) * chunk : rows;
    partials[i] = detail::column_square_sum(m, cols, j, lg[j] != 0, means[j], c * chunk, end);
  }
}

__global__ void __launch_bounds__(kBlock)
    combine_squares_kernel(const double* partials, std::size_t chunks, std::size_t cols,
                           double* squares) {
  for (std::size_t j = global_thread(); j < cols; j += grid_threads()) {
    double s = 0.0;
    for (std::size_t c = 0; c < chunks; ++c) s += partials[c * cols + j];
    squares[j] = s;
  }
}

__global__ void __launch_bounds__(kBlock)
    transform_kernel(const float* raw, std::size_t rows, std::size_t raw_cols, ScaleColumns c,
                     std::size_t d, float* out) {
  for (std::size_t i = global_thread(); i < rows * d; i += grid_threads()) {
    const std::size_t r = i / d, j = i % d;
    out[i] = detail::scaled_value(raw[r * raw_cols + c.source[j]], c.log1p[j] != 0, c.mean[j],
                                  c.stddev[j], c.weight[j]);
  }
}

std::size_t chunk_count(std::size_t rows, std::size_t chunk) { return (rows + chunk - 1) / chunk; }

}  // namespace

void launch_column_sums(const float* m, std::size_t rows, std::size_t cols,
                        const std::uint8_t* log1p, std::size_t chunk, ColumnSums* partials,
                        ColumnSums* totals, double* means, cudaStream_t stream) {
  const std::size_t chunks = chunk_count(rows, chunk);
  if (chunks > 0) {
    chunk_sums_kernel<<<grid_for(chunks * cols), kBlock, 0, stream>>>(m, rows, cols, log1p, chunk,
                                                                     chunks, partials);
    SEGMINT_CUDA_CHECK_LAUNCH();
  }
  combine_sums_kernel<<<grid_for(cols), kBlock, 0, stream>>>(partials, chunks, cols, rows, totals,
                                                             means);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_square_sums(const float* m, std::size_t rows, std::size_t cols,
                        const std::uint8_t* log1p, const double* means, std::size_t chunk,
                        double* partials, double* squares, cudaStream_t stream) {
  const std::size_t chunks = chunk_count(rows, chunk);
  if (chunks > 0) {
    chunk_squares_kernel<<<grid_for(chunks * cols), kBlock, 0, stream>>>(m, rows, cols, log1p,
                                                                        means, chunk, chunks,
                                                                        partials);
    SEGMINT_CUDA_CHECK_LAUNCH();
  }
  combine_squares_kernel<<<grid_for(cols), kBlock, 0, stream>>>(partials, chunks, cols, squares);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_transform(const float* raw, std::size_t rows, std::size_t raw_cols, ScaleColumns c,
                      std::size_t d, float* out, cudaStream_t stream) {
  if (rows * d == 0) return;
  transform_kernel<<<grid_for(rows * d), kBlock, 0, stream>>>(raw, rows, raw_cols, c, d, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
