// The assignment kernel for the x86-64 baseline (SSE2, 3-row tiles, glibc fmaf).
#include "kmeans/assign_bounds.hpp"

namespace segmint::kmeans {

void assign_chunk_base(const ChunkArgs& a, std::size_t begin, std::size_t end, double* partial) {
  assign_body(a, begin, end, partial);
}

void label_dist_base(const ChunkArgs& a, std::size_t begin, std::size_t end) {
  label_dist_body(a, begin, end);
}

}  // namespace segmint::kmeans
