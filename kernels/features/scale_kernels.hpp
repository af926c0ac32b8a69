// Launchers of the device scaler (defined in scale_kernels.cu): the fit's column sums over fixed
// row chunks added in chunk order, and the transform, with detail/scale_math.hpp's formulas.
// Asynchronous on the stream passed last.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "segmint/detail/scale_math.hpp"

namespace segmint::cuda {

/// totals[j] = column j's sums (fit values, log1p where log1p[j]) over the rows x cols matrix m,
/// each chunk of `chunk` rows in row order, chunks added in chunk order (partials: chunks x cols
/// scratch, chunks = ceil(rows / chunk)); means[j] = totals[j].sum / rows.
void launch_column_sums(const float* m, std::size_t rows, std::size_t cols,
                        const std::uint8_t* log1p, std::size_t chunk, detail::ColumnSums* partials,
                        detail::ColumnSums* totals, double* means, cudaStream_t stream);
/// squares[j] = sum of (fit value - means[j])^2 over column j, in the same chunk order
/// (partials: chunks x cols scratch).
void launch_square_sums(const float* m, std::size_t rows, std::size_t cols,
                        const std::uint8_t* log1p, const double* means, std::size_t chunk,
                        double* partials, double* squares, cudaStream_t stream);

/// The scaler's columns of the device, one entry per output column.
struct ScaleColumns {
  const int* source;          ///< column of the raw matrix
  const std::uint8_t* log1p;  ///< log1p before centring
  const double *mean, *stddev, *weight;
};
/// out (rows x d) = detail::scaled_value of raw (rows x raw_cols) through `c`.
void launch_transform(const float* raw, std::size_t rows, std::size_t raw_cols, ScaleColumns c,
                      std::size_t d, float* out, cudaStream_t stream);

}  // namespace segmint::cuda
