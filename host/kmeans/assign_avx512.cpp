// The assignment kernel for AVX-512 (zmm, 16-row tiles); flags per file in CMakeLists.txt.
#include "kmeans/assign_bounds.hpp"

namespace segmint::kmeans {

void assign_chunk_avx512(const ChunkArgs& a, std::size_t begin, std::size_t end, double* partial) {
  assign_body(a, begin, end, partial);
}

void label_dist_avx512(const ChunkArgs& a, std::size_t begin, std::size_t end) {
  label_dist_body(a, begin, end);
}

}  // namespace segmint::kmeans
