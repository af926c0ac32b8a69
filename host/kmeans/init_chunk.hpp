// k-means++'s distance loops per instruction set (init_kernel.hpp); init.cpp runs the ones of the
// instruction set the assignment kernel runs (assign.cpp's choice, force_kernel_isa).
#pragma once
#include <cstddef>

#include "kmeans/cpu_kmeans.hpp"

namespace segmint::kmeans {

/// closest[i] = squared_distance(row i, c) for rows [begin, end) (the first centre's distances;
/// later steps take them from trial_sums' mins).
using ToCentreFn = void (*)(MatrixView x, const float* c, std::size_t begin, std::size_t end,
                            float* closest);
/// For l < trials: mins[l][i] = min(closest_i, squared_distance(row i, cand[l])) for rows
/// [begin, end), and out[l] = the sum of w_i mins[l][i] over them in row order (w may be null:
/// all 1).
using TrialSumsFn = void (*)(MatrixView x, const float* w, const float* closest,
                             const float* const* cand, int trials, std::size_t begin,
                             std::size_t end, double* out, float* const* mins);

struct InitKernel {
  ToCentreFn to_centre;
  TrialSumsFn trial_sums;
};
/// The loops for the kernel this process runs (force_kernel_isa applies to them too).
const InitKernel& init_kernel();

void to_centre_avx512(MatrixView, const float*, std::size_t, std::size_t, float*);
void to_centre_avx2(MatrixView, const float*, std::size_t, std::size_t, float*);
void to_centre_base(MatrixView, const float*, std::size_t, std::size_t, float*);
void trial_sums_avx512(MatrixView, const float*, const float*, const float* const*, int,
                       std::size_t, std::size_t, double*, float* const*);
void trial_sums_avx2(MatrixView, const float*, const float*, const float* const*, int,
                     std::size_t, std::size_t, double*, float* const*);
void trial_sums_base(MatrixView, const float*, const float*, const float* const*, int,
                     std::size_t, std::size_t, double*, float* const*);

}  // namespace segmint::kmeans
