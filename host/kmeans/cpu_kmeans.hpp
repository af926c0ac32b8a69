// Internal interface of the CPU k-means backend: fixed chunking, the blocked assignment pass,
// the initialisers and the Lloyd loop. Everything here is deterministic for a given input and
// seed whatever the thread count: work is split in fixed chunks of rows and every reduction
// adds per-chunk partials (double) in chunk order.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/cpu_isa.hpp"
#include "segmint/detail/kmeans_screen.hpp"
#include "segmint/detail/rng.hpp"
#include "segmint/kmeans.hpp"
#include "segmint/matrix.hpp"

namespace segmint::kmeans {

// The shared splitmix64 stream and hashes (segmint/detail/rng.hpp).
using detail::hash_uniform;
using detail::mix64;
using detail::Rng;
// The exact formula and the screen's slack, shared with the CUDA kernels (segmint/detail).
using detail::exact_sq;
using detail::ScreenBound;

/// Rows per chunk. Fixed (never derived from the thread count) so that partial sums, and
/// therefore every result, are the same with 1 or 64 threads.
constexpr std::size_t kChunkRows = 4096;
inline std::size_t chunk_count(std::size_t n) { return (n + kChunkRows - 1) / kChunkRows; }

/// threads <= 0 means every OpenMP thread available.
int resolve_threads(int threads);
/// Threads for a loop over n rows: one per chunk at most, so small inputs run on one thread
/// and never pay for (or spin in) an OpenMP team on a busy machine.
int team_size(std::size_t n, int threads);

/// Centroids in the two layouts the blocked kernel reads: `screen` is -2c transposed to
/// d x kpad (kpad = k rounded up to the block width) so the screen streams contiguous centroid
/// values for each feature; `rows` is c row-major (k x d) for the exact re-rank. cn holds
/// ||c||^2 (padding +inf, so padding never passes the screen).
struct CentroidTable {
  static constexpr int kBlock = 16;  ///< centroids per register block
  int k = 0, d = 0, kpad = 0;
  std::vector<float> screen;  ///< d x kpad, -2 c (padding 0)
  std::vector<float> cn;      ///< kpad, ||c||^2 (padding +inf)
  std::vector<float> rows;    ///< k x d, c
  std::vector<float> cols;    ///< d x kpad, c (padding 0): exact distances pick lanes from it
  float cn_max = 0;           ///< max ||c||^2 over the k centroids
  ScreenBound bound;          ///< the screen's slack (xlim 0 when a centroid is not finite)
  /// The bf16 screen's table (the AVX-512 BF16 kernel): ceil(d / 2) x kpad words, word (p, c)
  /// holding -2 c_{2p} (low half) and -2 c_{2p+1} (high half, 0 past d) rounded to bf16
  /// (nearest, ties to even; subnormals to 0), and that screen's slack: bound_bf16 (product
  /// error 2^-7 + 2^-16) and, for the per-row A_e (ScreenBound), rc_max >= max ||c - bc|| and
  /// c_max >= max ||c||.
  std::vector<std::int32_t> pairs;
  ScreenBound bound_bf16;
  float rc_max = 0, c_max = 0;
  void load(const float* centroids, int k, int d);  ///< centroids: k x d row-major
  void load_bf16_pairs();  ///< pairs and bound_bf16 from screen (load calls it)
  const float* row(int c) const { return rows.data() + static_cast<std::size_t>(c) * d; }
};

/// Per-cluster totals of one assignment pass, reduced in fixed chunk order.
struct PassTotals {
  std::vector<double> sums;     ///< k x d, sum of w * x per cluster
  std::vector<double> weights;  ///< k, sum of w per cluster
  double inertia = 0;           ///< sum of w * squared distance (only when dist_sq is given)
  std::size_t changed = 0;      ///< rows whose label differs from the label given on entry
  std::size_t skipped = 0;      ///< rows the bounds proved (no screen; bounded pass only)
  /// The bf16 kernel's screen for this pass (kmeans/assign_chunk.hpp's ScreenVerdict; 0 also
  /// when another kernel ran).
  int screen_verdict = 0;
  /// assign_pass's per-chunk partials, kept between the passes of a fit: 4 MB at 1M x 32,
  /// k 64, which a fresh zeroed vector per pass faulted in and cleared every time.
  std::vector<double> partial;
};
struct BoundArgs;

/// A pass that also tests every value of x: failed is set when some |v| <= limit does not hold
/// (NaN included), the test of check_finite_matrix. The first Lloyd pass of a fit from given
/// centroids makes it, instead of a separate pass over the whole matrix before the fit (3% of a
/// 10-iteration fit at 1M x 32: the pass is memory bound and reads the matrix anyway).
struct RangeCheck {
  float limit = 0;
  std::atomic<bool> failed{false};
};

/// Assigns every row of x to its nearest centroid (ties to the lowest index) under the exact
/// formula (segmint/detail/kmeans_screen.hpp: exact_sq). labels holds the previous labels on entry
/// (changes are counted) and the new ones on exit; dist_sq (may be null, which saves the exact
/// distance of rows the screen settles alone) receives squared distances. With totals != null also
/// sums the weighted rows per cluster in the same pass. weights may be null (all 1). bounds (the
/// Lloyd loop's, kmeans/bounds.hpp; with totals null only the labels and bounds are written,
/// and with dist_sq, which takes totals null, the labels and distances) lets rows whose label is
/// proven skip the screen; every result is the same bit for bit. check (may be null): the pass also
/// tests x's values (RangeCheck); when one fails, every other output is unusable.
void assign_pass(MatrixView x, const float* weights, const CentroidTable& table,
                 std::int32_t* labels, float* dist_sq, PassTotals* totals, int threads,
                 const BoundArgs* bounds = nullptr, RangeCheck* check = nullptr);

/// The fit's last pass: with relabel, labels for the table's centroids as assign_pass gives them
/// (bounds may be null; given, the rows they prove keep their label, and they are not updated),
/// else the labels as they are; dist[i] = the square root of row i's exact squared distance to
/// centroid labels[i]. dist may be the bounds' upper array: a row's bound is read before its
/// distance is written. Returns the inertia, the weighted_sum of those squares: bit for bit what
/// assign_pass or label_distances, weighted_sum and a square root per row give, in one pass.
double final_pass(MatrixView x, const float* weights, const CentroidTable& table,
                  std::int32_t* labels, float* dist, bool relabel, const BoundArgs* bounds,
                  int threads);

/// dist_sq[i] = exact squared distance of row i to centroid labels[i].
void label_distances(MatrixView x, const CentroidTable& table, const std::int32_t* labels,
                     float* dist_sq, int threads);

/// Instruction sets of the assignment kernel (common/cpu_isa); every one gives the same bits.
using KernelIsa = CpuIsa;
/// The best instruction set this CPU runs.
KernelIsa best_kernel_isa();
/// Every instruction set up to best_kernel_isa(), baseline first (the tests run each).
std::vector<KernelIsa> runnable_kernel_isas();
/// Tests only: run the kernel for `isa` (it must be <= best_kernel_isa()) until reset_kernel_isa.
void force_kernel_isa(KernelIsa isa);
void reset_kernel_isa();

/// Tests only: true forces the baseline (SSE2) kernel, false goes back to the best one.
void use_baseline_kernel(bool on);

/// Sum over features of the population variance of each feature (unweighted, as sklearn).
double feature_variance_sum(MatrixView x, int threads);

/// Sum of w_i * v_i over rows in fixed chunk order (w may be null).
double weighted_sum(const float* v, const float* w, std::size_t n, int threads);

// --- initialisers (init.cpp, init_parallel.cpp): each returns k x d centroids ---------------
std::vector<float> init_kmeans_pp(MatrixView x, const float* w, int k, Rng& rng, int threads);
std::vector<float> init_random(MatrixView x, int k, Rng& rng);
std::vector<float> init_kmeans_parallel(MatrixView x, const float* w, int k, double oversampling,
                                        int rounds, std::uint64_t seed, int threads);

/// One Lloyd run from `centroids` (k x d, replaced by the result) with scikit-learn's
/// semantics (see segmint/kmeans.hpp); tol_abs is the absolute squared-shift tolerance.
/// Fills everything in `out` but best_init. check_limit > 0: the first pass also tests that
/// every |value| of x is <= check_limit (RangeCheck); false when one is not (nothing in `out`
/// is then usable: the caller reports the value), true otherwise.
bool lloyd(MatrixView x, const float* w, int k, std::vector<float> centroids,
           const KMeansParams& params, double tol_abs, KMeansResult& out, float check_limit = 0);

}  // namespace segmint::kmeans
