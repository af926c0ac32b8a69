// k-means++'s distance loops for AVX-512; flags per file in CMakeLists.txt (no contraction).
#include "kmeans/init_kernel.hpp"

namespace segmint::kmeans {

void to_centre_avx512(MatrixView x, const float* c, std::size_t begin, std::size_t end,
                      float* closest) {
  to_centre_body(x, c, begin, end, closest);
}

void trial_sums_avx512(MatrixView x, const float* w, const float* closest, const float* const* cand,
                       int trials, std::size_t begin, std::size_t end, double* out,
                       float* const* mins) {
  trial_sums_body(x, w, closest, cand, trials, begin, end, out, mins);
}

}  // namespace segmint::kmeans
