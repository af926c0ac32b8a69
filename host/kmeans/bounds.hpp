// Hamerly bounds of the Lloyd loop: per row an upper bound on its distance to its centroid and a
// lower bound on its distance to every other one, so that a row whose label provably cannot
// change skips the screen and the re-rank (its sums are still folded in row order).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace segmint::kmeans {

/// The proof's margin. With u and l true bounds (u >= ||x - c_a||, l <= ||x - c|| for every
/// c != a, real arithmetic), a row is proven, i.e. exact_sq(x, c_a) < exact_sq(x, c) for every
/// c != a (so a is the exact argmin and no tie can move the label), when
///   fl(fl(u * rho) + abs) < l.
/// Derivation (u_ = 2^-24, g = gamma_{2d+4} as in ScreenBound; delta_c = ||x - c||^2 exactly,
/// D_c = exact_sq(x, c)): |D_c - delta_c| <= g delta_c + e with e = (2d+2) 2^-149 <= 2^-100
/// (underflow), so D_a <= (1+g) u^2 + e and D_c >= (1-g) l^2 - e; D_a < D_c follows from
/// sqrt((1+g)/(1-g)) u + sqrt(2e/(1-g)) < l. rho is that root times (1 + 2^-21), rounded up
/// (it absorbs the two roundings of the test, each >= (1 - u_)), abs = 2^-48 > 2^-49.5 covers
/// the absolute term and the subnormal rounding of u * rho. Bounds are kept below 2^60, so a
/// proven D_a is finite (no overflow anywhere in its fma chain).
struct BoundMargin {
  float rho = 1.f, abs = 0.f;
  static BoundMargin make(int d);
  /// Tests only: no margin at all (the counterexample test shows it is needed).
  static BoundMargin none() { return BoundMargin{}; }
  bool proves(float u, float l) const { return u * rho + abs < l; }
};

/// Whether a chunk's sums are exact whatever rows they hold: not known yet, yes, no.
enum ExactState : std::uint8_t { kExactUnknown = 0, kExactYes = 1, kExactNo = 2 };

/// BoundArgs::exact_chunks, one per chunk. Per feature, the chunk's magnitudes add up to S; the
/// values of magnitude at least the feature's grid floor (a power of two) are whole multiples
/// of a q with S <= 2^53 q, so every sum of them, in any order, is exact in double. The rows
/// with a nonzero value below a floor (fine rows: a value near zero among large ones) are
/// listed; a cluster holding one is refolded, the others move rows in place. Yes: every
/// feature's sum finite and at most kMaxFine fine rows.
struct ExactChunk {
  static constexpr int kMaxFine = 16;
  ExactState state = kExactUnknown;
  std::uint8_t fine = 0;                ///< fine rows (state yes)
  std::uint16_t fine_rows[kMaxFine]{};  ///< their offsets in the chunk
};

/// What one pass reads and writes of the bounds (raw views into RowBounds, n rows, k centroids).
/// A row's bounds are kept relative to the centroids' movement since the bounds' epoch (the
/// last pass that refreshed every row): for its label a, the upper bound on ||x_i - c_a|| is
/// upper[i] + drift[a] and the lower bound on ||x_i - c|| (c != a) is lower[i] - other[a],
/// each rounded outward (upper_bound, lower_bound). A pass writes only the rows it screens,
/// whose fresh bounds it stores less drift_low (plus other_low). drift[c] sums c's movement
/// every pass since the epoch and other[c] the largest movement of the others: a row screened
/// at pass t' and read at t gets drift(t) - drift_low(t') >= ||c_a(t) - c_a(t')|| added, and
/// its lower bound loses at least what Hamerly's per-pass shift took off.
struct BoundArgs {
  float* upper = nullptr;            ///< n: upper bound on ||x_i - c_{label_i}||, less the drift
  float* lower = nullptr;            ///< n: lower bound on ||x_i - c|| (c != label_i), plus other
  const float* drift = nullptr;      ///< k: sums of each centroid's movement, rounded up
  const float* other = nullptr;      ///< k: sums of the largest movement of the others, up
  const float* drift_low = nullptr;  ///< k: drift rounded down (storing fresh bounds)
  const float* other_low = nullptr;  ///< k: other rounded down
  bool shift = false;  ///< bounds hold for the previous pass: move them, skip proven rows
  /// With shift: the pass's partial holds the previous pass's per-chunk sums for the labels on
  /// entry, so a chunk refolds only the clusters a row enters or leaves (the others: the same
  /// rows in the same order, so the same sums bit for bit) and reads no other row. lloyd sets
  /// it where few labels move (reuse_sums_pays).
  bool reuse_sums = false;
  /// With shift: the rows the bounds leave open are screened in float, never bf16 (the pass's
  /// ScreenWatch starts at float, assign.cpp). The bf16 screen's wider slack leaves looser bounds:
  /// at 1M x 32, k 64, 8% of the rows it screened stay unproven even when no centroid moves, and a
  /// bf16 screen of them each pass keeps them so. The open rows of a late pass are near ties, which
  /// the bf16 screen also re-ranks more often (the fit's last pass: 13.4 -> 10.4 ms with 3% open
  /// at 1M x 32, k 64). lloyd sets it after a pass that proved most rows (float_screen_pays).
  bool float_screen = false;
  /// Per chunk (index begin / kChunkRows), or null: whether the chunk's sums are exact whatever
  /// rows they hold (ExactChunk; certify_rows in exact_chunk.hpp), written by the first pass
  /// that sees the chunk's entry unknown. With shift and unit weights, an exact chunk reuses the
  /// previous pass's sums whatever reuse_sums says: a row that changes label is taken out of one
  /// sum and added to the other in place, the same bits as a refold in row order (a cluster
  /// holding one of the chunk's fine rows is refolded instead).
  ExactChunk* exact_chunks = nullptr;
  BoundMargin margin;
  // Refresh constants from the screen (see refresh_bounds in assign_bounds.hpp).
  float xlo = 0;  ///< ||x||^2 >= xlo * computed ||x||^2 (rounded down 1 - 2g)
  /// Row i's bounds for its label a, as the pass reads them (the kernel's arithmetic: s then
  /// s +- |s| 2^-22, which is on the outer side of the exact sum: one rounding of 2^-24).
  float upper_bound(std::size_t i, int a) const {
    const float s = upper[i] + drift[a];
    return s + (s < 0 ? -s : s) * 0x1p-22f;
  }
  float lower_bound(std::size_t i, int a) const {
    const float s = lower[i] - other[a];
    const float l = s - (s < 0 ? -s : s) * 0x1p-22f;
    return l > 0 ? l : 0.f;
  }
};

/// The Lloyd loop's bounds: owned by lloyd(), valid after a bounded pass until a repair moves
/// rows (invalidate()) or a centroid moves by a non-finite amount; shift() adds each update's
/// movement to the epoch's sums (BoundArgs).
class RowBounds {
 public:
  /// upper: n floats the caller lends for the upper bounds (lloyd lends its distance array,
  /// which nothing else uses until the last pass, and that pass reads each row's bound before it
  /// writes the row's distance), or null: the bounds own theirs.
  RowBounds(std::size_t n, int k, int d, float* upper = nullptr);
  /// Records the movement old -> next (k x d each) so the next pass shifts the bounds.
  void shift(const float* old, const float* next);
  void invalidate() { valid_ = false; }
  /// The next pass's view: shifting when the bounds are valid, refreshing every row otherwise.
  BoundArgs args();

 private:
  std::unique_ptr<float[]> own_upper_, lower_;  // n each (own_upper_ null when lent)
  float* upper_;
  std::vector<float> move_, other_;                              // the last update's, rounded up
  std::vector<double> drift_sum_, other_sum_;                    // since the epoch
  std::vector<float> drift_, other_up_, drift_low_, other_low_;  // their roundings
  int k_, d_;
  bool valid_ = false, moved_ = false;
};

/// When lloyd() starts keeping bounds (a bounded pass that proves nothing costs ~10% more
/// than a plain one; one that proves most rows about half).
enum class BoundsStart {
  never,     ///< every row screened every pass
  at_once,   ///< from the first pass
  settling,  ///< once a pass changes at most 1 / kSettlingShare of the labels
};
/// k * d from which the bounds start at once: there they pay as soon as centroids slow down
/// (1M x 32, k = 64: a whole fit 2.2x faster). Below it they start settling: the screen is
/// cheap, and in the first passes, where labels still move, their upkeep costs more than they
/// skip; a whole fit's later passes skip most rows (docs/ARCHITECTURE.md, "When").
constexpr long kBoundsMinWork = 512;
/// Settling bounds start after a pass that changes at most 1 / kSettlingShare of the labels.
constexpr std::size_t kSettlingShare = 50;
/// Tests and benchmarks only: force the bounds on from the first pass, or off.
void use_row_bounds(bool on);
/// Back to the default (row_bounds_start).
void reset_row_bounds();
/// When lloyd() starts keeping bounds for k centroids of d features.
BoundsStart row_bounds_start(int k, int d);

/// Whether a bounded pass reuses the previous pass's sums (BoundArgs::reuse_sums) after a pass
/// that changed `changed` of n labels, k clusters: where a chunk's moves touch (2 clusters
/// each) at most a quarter of them on average. Where more clusters are touched, refolding them
/// reads nearly every row anyway, and the pass that folds as it goes is faster.
bool reuse_sums_pays(std::size_t changed, std::size_t n, int k);
/// Tests only: 1 reuses the sums in every pass that can, 0 never; -1 back to reuse_sums_pays.
void use_sum_reuse(int mode);

/// Whether a bounded pass moves rows in place in the exact chunks (BoundArgs::exact_chunks)
/// after a pass that changed `changed` of n labels: at most 1 in kExactMovesShare. A move
/// updates two clusters' sums at scattered places; where many rows move, the fold of every row
/// in order costs less (1M x 32, k 64, 2 threads: +4 ms a pass at 31% moved, even at 5%, -1 ms
/// at 1.6%; 2026-12-05).
constexpr std::size_t kExactMovesShare = 32;
inline bool exact_moves_pay(std::size_t changed, std::size_t n) {
  return changed * kExactMovesShare <= n;
}
/// Whether a shifting pass screens in float (BoundArgs::float_screen) after a pass that proved
/// `proven` of n rows: at least 1 - 1 / kFloatScreenShare of them. There, the few rows screened
/// cost little more in float, and their tight bounds let the next passes prove them (whole fits
/// 10-50% faster at k 64, ten passes unchanged: bench/RESULTS.md, twentieth pass).
constexpr std::size_t kFloatScreenShare = 10;
inline bool float_screen_pays(std::size_t proven, std::size_t n) {
  return proven * kFloatScreenShare >= n * (kFloatScreenShare - 1);
}

/// Tests only: whether lloyd() lets exact chunks update their sums in place (default on).
void use_exact_sums(bool on);
bool exact_sums_enabled();

/// Chunks of the last lloyd() on this thread whose sums were exact (bench and test counter).
std::size_t& last_exact_chunks();

/// Rows that skipped the screen in each pass of the last lloyd() on this thread (bench counter).
std::vector<std::size_t>& last_skipped_rows();

}  // namespace segmint::kmeans
