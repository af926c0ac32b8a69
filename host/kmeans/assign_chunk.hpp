// What one chunk of the assignment pass gets, and the kernel's entry point per instruction set
// (assign_avx512bf16.cpp, assign_avx512.cpp, assign_avx2.cpp, assign_base.cpp; assign.cpp picks
// one at run time).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "kmeans/bounds.hpp"
#include "kmeans/cpu_kmeans.hpp"

namespace segmint::kmeans {

/// The bf16 kernel's screen for a pass (PassTotals::screen_verdict): not decided yet (too few
/// rows seen), bf16 so far, float (the pass's rows so far re-ranked too many), bf16 on every
/// tile (a test forced the kernel).
enum ScreenVerdict : int {
  kScreenUndecided = 0,
  kScreenBf16 = 1,
  kScreenFloat = 2,
  kScreenForced = 3
};

/// What a pass's chunks have seen of the bf16 screen (ScreenChoice in assign_kernel.hpp).
struct ScreenWatch {
  std::atomic<int> verdict{kScreenUndecided};
  std::atomic<std::int64_t> rows{0}, reranked{0};  // screened in bf16, added a window at a time
};

/// The pass's inputs and outputs; a chunk touches rows [begin, end) only.
struct ChunkArgs {
  MatrixView x;
  const float* weights = nullptr;  ///< may be null (all 1)
  const CentroidTable* table = nullptr;
  std::int32_t* labels = nullptr;
  float* dist_sq = nullptr;           ///< may be null
  const BoundArgs* bounds = nullptr;  ///< may be null; set: the Lloyd loop's bounded pass
  RangeCheck* check = nullptr;        ///< may be null; set: the chunk also tests its rows' values
  /// The pass's watch over the bf16 kernel's screen. Null: float.
  ScreenWatch* screen = nullptr;
  /// The fit's last pass (final_pass; set with dist_sq and no partial): the chunk's sum of
  /// w * squared distance in row order goes to inertia[begin / kChunkRows], and dist_sq
  /// receives the distances' square roots.
  double* inertia = nullptr;
};

/// Assigns rows [begin, end). partial (may be null): k*d sums, k weights, inertia, changed,
/// skipped (as double), added in row order. With bounds, rows the bounds prove keep their label
/// without a screen: without dist_sq the Lloyd loop's pass (no partial: labels and bounds only),
/// with it the fit's last pass (labels and distances, no partial; the bounds are not updated).
using ChunkFn = void (*)(const ChunkArgs& a, std::size_t begin, std::size_t end, double* partial);
/// dist_sq[i] = exact_sq(row i, centroid labels[i]) for rows [begin, end).
using DistFn = void (*)(const ChunkArgs& a, std::size_t begin, std::size_t end);

void assign_chunk_avx512bf16(const ChunkArgs& a, std::size_t begin, std::size_t end,
                             double* partial);
void assign_chunk_avx512(const ChunkArgs& a, std::size_t begin, std::size_t end, double* partial);
void assign_chunk_avx2(const ChunkArgs& a, std::size_t begin, std::size_t end, double* partial);
void assign_chunk_base(const ChunkArgs& a, std::size_t begin, std::size_t end, double* partial);
void label_dist_avx512bf16(const ChunkArgs& a, std::size_t begin, std::size_t end);
void label_dist_avx512(const ChunkArgs& a, std::size_t begin, std::size_t end);
void label_dist_avx2(const ChunkArgs& a, std::size_t begin, std::size_t end);
void label_dist_base(const ChunkArgs& a, std::size_t begin, std::size_t end);

}  // namespace segmint::kmeans
