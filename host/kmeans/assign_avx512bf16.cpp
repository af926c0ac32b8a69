// The assignment kernel for AVX-512 with BF16: assign_avx512.cpp's, screening in bf16 pairs
// (CentroidTable::pairs, its own slack); flags per file in CMakeLists.txt.
#include "kmeans/assign_bounds.hpp"

namespace segmint::kmeans {

void assign_chunk_avx512bf16(const ChunkArgs& a, std::size_t begin, std::size_t end,
                             double* partial) {
  assign_body(a, begin, end, partial);
}

void label_dist_avx512bf16(const ChunkArgs& a, std::size_t begin, std::size_t end) {
  label_dist_body(a, begin, end);
}

}  // namespace segmint::kmeans
