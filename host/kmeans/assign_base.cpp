// The assignment kernel for the x86-64 baseline (SSE2, 3-row tiles, glibc fmaf).
#include "kmeans/assign_kernel.hpp"

namespace segmint::kmeans {

void assign_chunk_base(const ChunkArgs& a, std::size_t begin, std::size_t end, double* partial) {
  chunk_body<kTileRows>(a, begin, end, partial);
}

void label_dist_base(const ChunkArgs& a, std::size_t begin, std::size_t end) {
  label_dist_body(a, begin, end);
}

void row_norms_base(MatrixView x, std::size_t begin, std::size_t end, float* out) {
  for (std::size_t i = begin; i < end; ++i) out[i] = sq_norm(x.row(i), static_cast<int>(x.cols));
}

}  // namespace segmint::kmeans
