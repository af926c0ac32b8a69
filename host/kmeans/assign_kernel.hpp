// The assignment kernel, written once and compiled once per instruction set: assign_avx512.cpp,
// assign_avx2.cpp and assign_base.cpp include it under their own target flags. Rows go in tiles
// of 16, one row per vector lane; the tile is screened against blocks of centroids with
// ||c||^2 - 2 x.c (a small GEMM held in registers), the survivors of the screen
// (segmint/detail/kmeans_screen.hpp) are re-ranked with the exact formula, and each row is folded
// into the chunk's partial sums in the same pass. assign_bounds.hpp adds the Lloyd loop's bounded
// pass.
#pragma once
#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

#include "kmeans/assign_chunk.hpp"
#include "kmeans/assign_isa.hpp"

namespace segmint::kmeans {
namespace {  // one copy per instruction-set translation unit (never shared across them)

constexpr float kInf = std::numeric_limits<float>::infinity();

// Prefetches every cache line of [p, p + bytes), bytes > 0: kLocality 3 into L1 (prefetcht0),
// 2 into L2 (prefetcht1).
template <int kLocality = 3>
SEGMINT_INLINE void prefetch_span(const void* p, std::size_t bytes) {
  const auto lo = reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t{63};
  const auto hi = reinterpret_cast<std::uintptr_t>(p) + bytes - 1;
  for (std::uintptr_t at = lo; at <= hi; at += 64)
    __builtin_prefetch(reinterpret_cast<const char*>(at), 0, kLocality);
}

// Scratch of one chunk: the transposed rows, centroids and screen values of a tile.
struct Tile {
  std::vector<float> xT, cT, f;
  std::vector<std::int32_t> xP;  // the bf16 screen's pairs of xT (pack_bf16_pairs)
  const float* row[kTile];
  Tile(int d, int k)
      : xT(static_cast<std::size_t>(kTile) * d),
        cT(static_cast<std::size_t>(kTile) * d),
        f(static_cast<std::size_t>(kTile) * k),
        xP(kHasBf16 ? static_cast<std::size_t>(kTile) * ((d + 1) / 2) : 0),
        prefetch_parts(k / kBlockRegs + 2),
        cols(d) {}
  // Rows [i, i + rows) of x, one per lane; lanes past `rows` repeat the last row.
  SEGMINT_INLINE void load_rows(MatrixView x, std::size_t i, int rows) {
    queue_prefetch(x, i);
    prefetch_lines(prefetch_share());
    for (int r = 0; r < kTile; ++r) row[r] = x.row(i + (r < rows ? r : rows - 1));
    transpose_tile(row, static_cast<int>(x.cols), xT.data());
  }
  // Queues the rows kQueueAhead tiles after row i (rows are contiguous) for prefetching; label_tile
  // issues them a few lines per block of centroids (prefetch_lines), and a new queue first
  // issues what is left of the old one. Without prefetching the transpose's loads waited on
  // memory for ~25% of the pass at 32 x 64; issued all at once, the 32 lines of a tile filled
  // the line-fill buffers and the prefetches stalled instead (perf, 2026-12-04).
  static constexpr std::size_t kQueueAhead = 2;  // best of 2, 4, 8, 16 at 16 x 16 and 32 x 64
  SEGMINT_INLINE void queue_prefetch(MatrixView x, std::size_t i) {
    const std::size_t from = i + kQueueAhead * kTile;
    if (from >= x.rows) return prefetch_lines(1 << 30);
    queue_rows(x, from);
  }
  // Queues rows [from, from + 16) (contiguous, from inside x), first issuing what is left of the
  // old queue.
  SEGMINT_INLINE void queue_rows(MatrixView x, std::size_t from) {
    prefetch_lines(1 << 30);
    const std::size_t to = from + kTile < x.rows ? from + kTile : x.rows;
    pf = reinterpret_cast<const char*>(x.row(from));
    pf_end = reinterpret_cast<const char*>(x.row(to));
  }
  // Issues up to n of the queued lines.
  SEGMINT_INLINE void prefetch_lines(int n) {
    for (; n > 0 && pf < pf_end; --n, pf += 64) _mm_prefetch(pf, _MM_HINT_T0);
  }
  // One part's share of the lines still queued (the parts: prefetch_parts).
  int prefetch_share() const {
    return static_cast<int>((pf_end - pf + 63) / 64) / prefetch_parts + 1;
  }
  const char *pf = nullptr, *pf_end = nullptr;
  int prefetch_parts;  // the transpose, each block of centroids, the epilogue
  // Rows at[0..rows) of x (any rows), one per lane; lanes past `rows` repeat the last one.
  SEGMINT_INLINE void gather_rows(MatrixView x, const std::size_t* at, int rows) {
    prefetch_lines(prefetch_share());
    for (int r = 0; r < kTile; ++r) row[r] = x.row(at[r < rows ? r : rows - 1]);
    transpose_tile(row, static_cast<int>(x.cols), xT.data());
  }
  // RangeCheck (set_check): the screened rows' largest |value|, as bits (a non-negative float's
  // bits order as its value does, and NaN's are above +inf's), so no NaN case.
  const int cols;
  bool check_range = false;
  float limit_sq = 0;  // fl(limit * limit)
  v16i worst = v16i{};
  void set_check(const RangeCheck* check) {
    check_range = check != nullptr;
    limit_sq = check ? check->limit * check->limit : 0.f;
  }
  // A screened tile's test, from xn (each lane's computed ||x||^2): every step of that sum of
  // non-negative terms is rounded monotonically, so xn >= fl(x_j^2) for every j, and xn <
  // fl(limit^2) in every lane proves |x_j| < limit for all (an overflowed limit_sq of +inf too:
  // a finite xn has every x_j^2 finite, below limit^2). Only a tile where it does not hold (large
  // values, inf, NaN) is tested value by value. That test on every tile cost ~15% of a first
  // pass at 16 x 16 (6.7 against 5.9 ms, 2026-12-05).
  SEGMINT_INLINE void check_screened(v16f xn) {
    if (check_range && lanes_less(xn, v16f{} + limit_sq) != 0xffffu) note_range();
  }
  SEGMINT_INLINE void note_range() {
    for (int j = 0; j < cols; ++j) {
      v16i b = load_lanes<v16i>(xT.data() + kTile * j);
      b &= 0x7fffffff;
      worst = vselect(worst > b, worst, b);
    }
  }
  // True when some value noted was not <= limit (a finite limit >= 0).
  bool out_of_range(float limit) const {
    std::int32_t bits;
    std::memcpy(&bits, &limit, sizeof bits);
    bool out = false;
    for (int r = 0; r < kTile; ++r) out |= worst[r] > bits;
    return out;
  }
  // After a chunk: what it noted, into the pass's check.
  void report_range(RangeCheck* check) const {
    if (check && out_of_range(check->limit)) check->failed.store(true, std::memory_order_relaxed);
  }
};

// Exact squared distances of the tile's lanes to their centroids lab[r], bit for bit exact_sq.
// Where lookup16 holds k floats in registers, each feature's centroid values are permuted into
// the lanes from the column table (CentroidTable::cols) instead of transposing the 16 centroid
// rows.
SEGMINT_INLINE void tile_exact(Tile& tl, const CentroidTable& t, const std::int32_t* lab, int rows,
                               float* out) {
  std::int32_t at[kTile];
  const std::int32_t* idx = lab;  // a full tile's labels are read in place (store forwarding)
  if (rows < kTile) {
    // rows >= 1 always, which GCC cannot see (its -Warray-bounds warned of lab[-1]).
    const int last = rows > 0 ? rows - 1 : 0;
    for (int r = 0; r < kTile; ++r) at[r] = lab[r < rows ? r : last];
    idx = at;
  }
  const float* xT = tl.xT.data();
  v16f s = v16f{};
  if (lookup_in_registers(t.k)) {
    for (int j = 0; j < t.d; ++j) {
      const v16f dj = load16(xT + kTile * j) -
                      lookup16(t.cols.data() + static_cast<std::size_t>(j) * t.kpad, t.k, idx);
      s = fma16(dj, dj, s);
    }
  } else {
    const float* crow[kTile];
    for (int r = 0; r < kTile; ++r) crow[r] = t.row(idx[r]);
    transpose_tile(crow, t.d, tl.cT.data());
    for (int j = 0; j < t.d; ++j) {
      const v16f dj = load16(xT + kTile * j) - load16(tl.cT.data() + kTile * j);
      s = fma16(dj, dj, s);
    }
  }
  for (int r = 0; r < rows; ++r) out[r] = s[r];
}

// The screen's running minimum, second smallest value and the index of the first minimum per
// lane: ScreenTop's rule (shared with the GPU and the reference: values offered centroid by
// centroid in order, a tie makes the second equal to the first). The kernel merges whole
// blocks (block_top); offer() is the rule the merges are tested against.
struct LaneTop {
  v16f m = v16f{} + kInf, m2 = v16f{} + kInf;
  v16i im = v16i{};
  SEGMINT_INLINE void offer(v16f v, int c) {
    m2 = vmin(m2, vmax(m, v));
    im = vselect(v < m, v16i{} + c, im);
    m = vmin(m, v);
  }
  // Appends b (the values of later centroids): the same m, m2 and im as offering them in order
  // wherever no value is NaN.
  SEGMINT_INLINE void merge(const LaneTop& b) {
    im = vselect(b.m < m, b.im, im);
    m2 = vmin(vmin(m2, b.m2), vmax(m, b.m));
    m = vmin(m, b.m);
  }
};

// The LaneTop of acc[Lo, Lo + N) (centroids c0 + Lo ...) by a tree of merges: a chain of
// log2 N dependent steps instead of N offers each waiting on the last. BM_AssignPass on one
// thread: 10.86 -> 10.31 ms at 16 x 16, 48.8 -> 48.3 ms at 32 x 64 (2026-12-05).
template <int Lo, int N>
SEGMINT_INLINE LaneTop block_top(const v16f* acc, int c0) {
  LaneTop t;
  if constexpr (N == 1) {
    t.m = acc[Lo];
    t.im = v16i{} + (c0 + Lo);
  } else if constexpr (N == 2) {
    const v16f a = acc[Lo], b = acc[Lo + 1];
    t.m = vmin(a, b);
    t.m2 = vmax(a, b);
    t.im = vselect(b < a, v16i{} + (c0 + Lo + 1), v16i{} + (c0 + Lo));
  } else {
    t = block_top<Lo, N / 2>(acc, c0);
    t.merge(block_top<Lo + N / 2, N - N / 2>(acc, c0));
  }
  return t;
}

// No work beside the screen's steps (screen_block's Side).
struct NoSide {
  SEGMINT_INLINE void operator()(int) {}
};

// Screen values of NC centroids from c0 for the tile: f[16 c + r], each offered to `top`.
// kNorm: also sums the rows' ||x||^2 into xn. In the first block the sum's chain of d dependent
// FMAs runs beside the screen's independent ones; alone after the screen it stalled ~5% of the
// pass at 16 x 16 (perf, 2026-12-04).
// With the bf16 screen each step takes a pair of features (vdpbf16ps: twice the products of an
// fma per instruction); ||x||^2 is still summed from the floats, in the same order.
// side (Side* where Side is not NoSide): work run after each feature's FMAs, beside them.
template <bool kBf16, int NC, bool kNorm = false, class Side = NoSide>
SEGMINT_INLINE void screen_block(const Tile& tl, const CentroidTable& t, int c0, float* f,
                                 LaneTop& top, v16f* xn = nullptr, Side* side = nullptr) {
  const float* xT = tl.xT.data();
  const int d = t.d;
  v16f acc[NC];
  for (int q = 0; q < NC; ++q) acc[q] = v16f{} + t.cn[c0 + q];
#if !defined(__AVX512F__)
  // top to memory during the FMAs: with 16 registers GCC kept its six there and spilled two
  // accumulators inside the loop instead (AVX2 32 x 64 pass ~30% slower, 2026-12-04).
  asm volatile("" : "+m"(top));
#endif
  if constexpr (kBf16) {
#if defined(__AVX512BF16__)
    const std::int32_t* col = t.pairs.data() + c0;
    for (int p = 0; 2 * p < d; ++p, col += t.kpad) {
      const __m512i xv = _mm512_loadu_si512(tl.xP.data() + kTile * p);
      for (int q = 0; q < NC; ++q) acc[q] = dot_pair(acc[q], xv, col + q);
      if constexpr (!std::is_same_v<Side, NoSide>) (*side)(2 * p), (*side)(2 * p + 1);
      if constexpr (kNorm) {
        const v16f x0 = load16(xT + kTile * 2 * p);
        *xn += x0 * x0;
        if (2 * p + 1 < d) {
          const v16f x1 = load16(xT + kTile * (2 * p + 1));
          *xn += x1 * x1;
        }
      }
    }
#endif
  } else {
    const float* col = t.screen.data() + c0;
    for (int j = 0; j < d; ++j, col += t.kpad) {
      const v16f xv = load16(xT + kTile * j);
      for (int q = 0; q < NC; ++q) acc[q] += xv * col[q];
      if constexpr (kNorm) *xn += xv * xv;
      if constexpr (!std::is_same_v<Side, NoSide>) (*side)(j);
    }
  }
  for (int q = 0; q < NC; ++q) store16(f + kTile * (c0 + q), acc[q]);
  top.merge(block_top<0, NC>(acc, c0));
}

#if defined(__AVX512BF16__)
// The tile's bf16 pairs, and each lane's A_e = 2 (||bx|| rc_max + ||rx|| c_max) (ScreenBound):
// the float sums of squares times b1, plus 2^-100 for squares lost to underflow, bound the exact
// ones (as for ||x||^2), square roots are correctly rounded, and the last 2^-20 covers the few
// roundings of the products and the sum.
SEGMINT_INLINE v16f pack_bf16_pairs_and_error(Tile& tl, const CentroidTable& t) {
  v16f bx2, rx2;
  pack_bf16_pairs(tl.xT.data(), t.d, tl.xP.data(), bx2, rx2);
  const float b1 = t.bound_bf16.b1;
  const v16f bx = vsqrt(bx2 * b1 + 0x1p-100f), rx = vsqrt(rx2 * b1 + 0x1p-100f);
  return (bx * t.rc_max + rx * t.c_max) * (2 + 0x1p-19f);
}
#endif

// The slack of the float or the bf16 screen.
template <bool kBf16>
SEGMINT_INLINE const ScreenBound& screen_bound(const CentroidTable& t) {
  return kBf16 ? t.bound_bf16 : t.bound;
}

// The exact winner for lane r of a tile whose screen kept several centroids (or none could be
// trusted): f is the tile's screen values, f[16 c + r]. The rule is shared with the GPU.
inline int rerank(const float* f, int r, float thr, const float* x, const CentroidTable& t) {
  float unused;  // the tile's exact distances come from tile_exact
  return detail::rerank(
      x, [&](int c) { return t.row(c); }, t.k, t.d, [&](int c) { return f[kTile * c + r]; }, thr,
      unused);
}

// The screen's per-lane results: the minimum, the second smallest (kSecond only; a tie makes it
// equal to the minimum), the computed ||x||^2 and the threshold.
struct Lanes {
  v16f mv, m2, xn, thr, ae;  // ae: the screen's A_e (bf16; 0 in float)
  v16i im;  // the screen's first minimum (the label unless the lane was re-ranked to another)
  const ScreenBound* bound;  // the screen's slack
};

// Labels of the tile's rows [i, i + rows) (already in tl.xT): screen, threshold per lane; a
// lane whose second smallest screen value is above its threshold has exactly one survivor, the
// first minimum, and is settled; the others are re-ranked exactly. (The threshold is +inf
// unless every partial sum is finite: a finite threshold means no NaN among the values, so the
// two smallest decide exactly what counting the survivors did, without a second pass over f.)
// Returns how many lanes were re-ranked.
template <bool kBf16, bool kSecond = false, class Side = NoSide>  // kSecond: fill *lanes
SEGMINT_INLINE int label_tile(Tile& tl, const CentroidTable& t, int rows, std::int32_t* out,
                              Lanes* lanes = nullptr, Side* side = nullptr) {
  const int d = t.d, k = t.k;
  float* f = tl.f.data();
  LaneTop top;
  v16f xn = v16f{};
  // The queued prefetches, spread over the blocks (and the epilogue after them).
  const int per_block = tl.prefetch_share();
  v16f ae = v16f{};
#if defined(__AVX512BF16__)
  if constexpr (kBf16) ae = pack_bf16_pairs_and_error(tl, t);
#endif
  int c0 = 0;
  if (k >= kNormRegs) {  // the first block sums ||x||^2 as well (kNormRegs centroids)
    tl.prefetch_lines(per_block);
    screen_block<kBf16, kNormRegs, true>(tl, t, 0, f, top, &xn, side);
    c0 = kNormRegs;
  }
  for (; c0 + kBlockRegs <= k; c0 += kBlockRegs) {
    tl.prefetch_lines(per_block);
    screen_block<kBf16, kBlockRegs>(tl, t, c0, f, top);
  }
  // The rest (fewer than kBlockRegs) in blocks of 8, 4, 2, 1, each at most once: one
  // centroid at a time, each FMA waited on the one before it.
  if constexpr (kBlockRegs > 8)
    if (k - c0 >= 8) screen_block<kBf16, 8>(tl, t, c0, f, top), c0 += 8;
  if constexpr (kBlockRegs > 4)
    if (k - c0 >= 4) screen_block<kBf16, 4>(tl, t, c0, f, top), c0 += 4;
  if (k - c0 >= 2) screen_block<kBf16, 2>(tl, t, c0, f, top), c0 += 2;
  if (k - c0 >= 1) screen_block<kBf16, 1>(tl, t, c0, f, top);
  tl.prefetch_lines(1 << 30);
  const float* xT = tl.xT.data();
  if (k < kNormRegs)
    for (int j = 0; j < d; ++j) {
      const v16f xv = load16(xT + kTile * j);
      xn += xv * xv;
    }
  tl.check_screened(xn);
  const v16f thr = screen_bound<kBf16>(t).threshold(top.m, xn, ae);
  store_lanes(out, top.im);  // out has room for 16 labels
  // Lanes to re-rank: more than one survivor, or a screen that cannot be trusted (thr +inf).
  const v16f one = v16f{} + 1.f, ok = vselect((top.m2 > thr) & (thr < kInf), one, v16f{});
  std::uint32_t todo = lanes_less(ok, one) & ((1u << rows) - 1);
  const int reranked = __builtin_popcount(todo);
  for (; todo; todo &= todo - 1) {
    const int r = __builtin_ctz(todo);
    out[r] = rerank(f, r, thr[r], tl.row[r], t);
  }
  if constexpr (kSecond)
    *lanes = Lanes{top.m, top.m2, xn, thr, ae, top.im, &screen_bound<kBf16>(t)};
  return reranked;
}

// Which screen a chunk's tiles take. Its wider slack makes the bf16 screen re-rank 2-8% of the
// rows of well spread data, where it saves ~10% of a pass (CentroidTable::pairs), but 25-50% of
// the rows of the shared data sets' features at k 64 (ties and near ties everywhere), where a
// fit took 1.6x as long. So each pass watches it: every kProbeTiles tiles a chunk adds what it
// saw to the pass's counts, and once the pass has seen kMinRows rows in bf16, a share of them
// re-ranked above one in kProbeShare turns every chunk to the float screen for the rest of the
// pass (so tied rows late in the matrix still turn it). The pass's total, not any one window:
// a 512-row window of the peers' data re-ranks 7.9% +- 1.2%, and one of its ~2000 windows a
// pass crossed 10% (measured: every pass went float). Either screen gives the same labels. A
// test that forces the kernel gets kScreenForced: bf16 on every tile.
class ScreenChoice {
 public:
  static constexpr int kProbeTiles = 32, kProbeShare = 10, kMinRows = 4096;
  explicit ScreenChoice(ScreenWatch* watch) : watch_(watch) {}
  bool bf16() const {
    if (!kHasBf16 || !watch_) return false;
    return watch_->verdict.load(std::memory_order_relaxed) != kScreenFloat;
  }
  // After a tile the bf16 screen labelled: its rows and how many were re-ranked.
  void note(int rows, int reranked) {
    rows_ += rows;
    reranked_ += reranked;
    if (++tiles_ < kProbeTiles) return;
    const std::int64_t seen = watch_->rows.fetch_add(rows_, std::memory_order_relaxed) + rows_;
    const std::int64_t bad =
        watch_->reranked.fetch_add(reranked_, std::memory_order_relaxed) + reranked_;
    tiles_ = rows_ = reranked_ = 0;
    if (seen < kMinRows) return;
    const int want = bad * kProbeShare <= seen ? kScreenBf16 : kScreenFloat;
    int v = watch_->verdict.load(std::memory_order_relaxed);
    while ((v == kScreenUndecided || (v == kScreenBf16 && want == kScreenFloat)) &&
           !watch_->verdict.compare_exchange_weak(v, want, std::memory_order_relaxed)) {
    }
  }

 private:
  ScreenWatch* watch_;
  int tiles_ = 0, rows_ = 0, reranked_ = 0;
};

// label_tile with the screen `choice` picks, noting what the bf16 watch needs.
template <bool kSecond = false, class Side = NoSide>
SEGMINT_INLINE void label_tile_chosen(ScreenChoice& choice, Tile& tl, const CentroidTable& t,
                                      int rows, std::int32_t* out, Lanes* lanes = nullptr,
                                      Side* side = nullptr) {
  if constexpr (kHasBf16) {
    if (choice.bf16()) {
      choice.note(rows, label_tile<true, kSecond>(tl, t, rows, out, lanes, side));
      return;
    }
  }
  label_tile<false, kSecond>(tl, t, rows, out, lanes, side);
}

// A chunk's per-cluster sums while it runs: rows of the sums padded to whole cache lines and
// the block aligned to 64 bytes. Folding into `partial` directly split every vector store across
// two lines (its stride is k d + k + 3 doubles), and a row of the same cluster a few rows later
// then waited for the split store to retire: ~30% of the pass at 16 x 16 (perf, 2026-12-04).
struct ChunkSums {
  int k, d, dpad;
  std::vector<double> raw;
  double *sums, *wsum;
  // Rows fold_unit_row added, counted apart: an integer add instead of a double one beside the
  // screen's FMAs (16 x 16 pass: -3%; in fold_blocks, within noise or slower). wsum and the
  // count are whole numbers below 2^53 there, so weight() is the sum of the ones in any order.
  std::vector<std::int32_t> units;
  ChunkSums(int k_, int d_) : k(k_), d(d_), dpad((d_ + 7) / 8 * 8), units(k_, 0) {
    raw.assign(static_cast<std::size_t>(k) * dpad + k + 8, 0.0);
    const auto at = reinterpret_cast<std::uintptr_t>(raw.data());
    sums = raw.data() + ((64 - at % 64) % 64) / sizeof(double);
    wsum = sums + static_cast<std::size_t>(k) * dpad;
  }
  // Adds row xi (weight wi) to cluster c's sums; callers go in row order. wi * xi[j] is exact
  // in double (two 24-bit significands), so fused or not, and wi = 1 or not, every sum is the
  // same double: the unit-weight case skips the multiply.
  SEGMINT_INLINE void fold(const float* xi, double wi, int c) {
    double* s = sums + static_cast<std::size_t>(c) * dpad;
    const v8d w = v8d{} + wi;
    int j = 0;
    for (; j + 8 <= d; j += 8) store8d(s + j, load8d(s + j) + w * widen8(xi + j));
    for (; j < d; ++j) s[j] += wi * xi[j];
    wsum[c] += wi;
  }
  SEGMINT_INLINE void fold_unit(const float* xi, int c) {
    double* s = sums + static_cast<std::size_t>(c) * dpad;
    int j = 0;
    for (; j + 8 <= d; j += 8) store8d(s + j, load8d(s + j) + widen8(xi + j));
    for (; j < d; ++j) s[j] += xi[j];
    wsum[c] += 1.0;
  }
  // fold_unit's sums for one row, a last partial block read as fold_blocks reads it.
  SEGMINT_INLINE void fold_unit_row(const float* xi, int c) {
    double* s = sums + static_cast<std::size_t>(c) * dpad;
    int j = 0;
    for (; j + 8 <= d; j += 8) store8d(s + j, load8d(s + j) + widen8(xi + j));
    if (j < d) store8d(s + j, load8d(s + j) + widen_first(xi + j, d - j));
    ++units[c];
  }
  double weight(int c) const { return wsum[c] + units[c]; }
  // Rows row(0..n) with labels lab[0..n) at unit weight, in order (fold_unit's sums bit for bit).
  // The row length is a constant for d <= 32, in whole blocks of 8: the last block's missing
  // features load as zeros and add +0.0 to the padding, which store() never reads.
  template <class RowAt>
  SEGMINT_INLINE void fold_unit_rows(RowAt row, const std::int32_t* lab, std::size_t n) {
    switch ((d + 7) / 8) {
      case 1:
        return fold_blocks<1>(row, lab, n);
      case 2:
        return fold_blocks<2>(row, lab, n);
      case 3:
        return fold_blocks<3>(row, lab, n);
      case 4:
        return fold_blocks<4>(row, lab, n);
      default:
        for (std::size_t q = 0; q < n; ++q) fold_unit(row(q), lab[q]);
    }
  }
  template <int NB, class RowAt>
  SEGMINT_INLINE void fold_blocks(RowAt row, const std::int32_t* lab, std::size_t n) {
    const int tail = d - 8 * (NB - 1);
    for (std::size_t q = 0; q < n; ++q) {
      const float* xi = row(q);
      double* s = sums + static_cast<std::size_t>(lab[q]) * dpad;
      for (int b = 0; b + 1 < NB; ++b) store8d(s + 8 * b, load8d(s + 8 * b) + widen8(xi + 8 * b));
      double* last = s + 8 * (NB - 1);
      store8d(last, load8d(last) + widen_first(xi + 8 * (NB - 1), tail));
      wsum[lab[q]] += 1.0;
    }
  }
  // The k*d sums and k weights into partial (the layout assign_pass adds up).
  void store(double* partial) const {
    for (int c = 0; c < k; ++c)
      std::memcpy(partial + static_cast<std::size_t>(c) * d,
                  sums + static_cast<std::size_t>(c) * dpad, sizeof(double) * d);
    for (int c = 0; c < k; ++c) partial[static_cast<std::size_t>(k) * d + c] = weight(c);
  }
};

// Copies a tile's `rows` 4-byte values (labels, distances): a full tile as one vector, since a
// memcpy of a runtime count was a library call per tile.
template <class T>
SEGMINT_INLINE void copy_tile(T* out, const T* in, int rows) {
  static_assert(sizeof(T) == 4);
  if (rows == kTile)
    store_lanes(out, load_lanes<v16i>(in));
  else
    std::memcpy(out, in, sizeof(T) * rows);
}

// The Lloyd pass's fold of a tile's rows, run during the next tile's screen: a row after each
// of the first block's feature steps (and what is left after it). Folded one tile later, in row
// order all the same, so the sums are the same doubles; beside the FMAs, the fold's loads,
// converts and stores fill issue slots the screen leaves idle.
// Where TrailingFold measured faster than folding after each tile (AVX-512, BM_AssignPass, one
// thread, 2026-12-05): 1M x 4, x 16, x 27 and x 32 at k 16: -13%, -9%, -4%, -5%. Within noise
// at x 32, k 32 and k 64, where the ten-pass fit at k 64 was 1% slower; slower with fewer
// centroids than a block (k 8, d 8: +5%) and at x 48 and x 64, k 16 (+8%, +15%; unexplained).
// So: one whole block of centroids, and no second, and d <= 32.
SEGMINT_INLINE bool trailing_fold_pays(int k, int d) {
  return k >= kBlockRegs && k < 2 * kBlockRegs && d <= 32;
}

struct TrailingFold {
  ChunkSums& acc;
  const float* xi = nullptr;          // the next row to fold (a tile's rows are contiguous)
  const std::int32_t* lab = nullptr;  // its label
  std::size_t stride = 0;           // x.cols, held here: reading acc.d a row measured ~2-5% slower
  int left = 0, rows = 0, due = 0;  // due: rows owed, times d (a row per d / rows steps)
  SEGMINT_INLINE void operator()(int) {
    for (due += rows; left > 0 && due >= acc.d; due -= acc.d) fold_next();
  }
  SEGMINT_INLINE void fold_next() {
    acc.fold_unit_row(xi, *lab);
    xi += stride, ++lab, --left;
  }
  SEGMINT_INLINE void finish() {
    while (left > 0) fold_next();
  }
  // Rows [i, i + n) of x, final labels lab_ (kept by the caller until finish()).
  SEGMINT_INLINE void start(MatrixView x, std::size_t i, const std::int32_t* lab_, int n) {
    xi = x.row(i);
    stride = x.cols;
    lab = lab_;
    left = rows = n;
    due = 0;
  }
};

// Writes a tile's labels over out[0..rows); returns how many differ from what was there.
SEGMINT_INLINE int store_labels(std::int32_t* out, const std::int32_t* lab, int rows) {
  int changed = 0;
  if (rows == kTile) {
    changed = __builtin_popcount(lanes_differ(out, lab));
    copy_tile(out, lab, kTile);
    return changed;
  }
  for (int r = 0; r < rows; ++r) changed += out[r] != lab[r];
  copy_tile(out, lab, rows);
  return changed;
}

// A tile's squared distances sq[0..rows) for rows [i, i + rows) into dist_sq; in the fit's last
// pass (a.inertia) their weighted sum is added to `sum` in row order (weighted_sum's terms) and
// dist_sq gets their square roots.
SEGMINT_INLINE void put_distances(const ChunkArgs& a, std::size_t i, const float* sq, int rows,
                                  double& sum) {
  if (!a.inertia) return copy_tile(a.dist_sq + i, sq, rows);
  for (int r = 0; r < rows; ++r)
    sum += a.weights ? static_cast<double>(a.weights[i + r]) * sq[r] : sq[r];
  if (rows == kTile) return store16(a.dist_sq + i, vsqrt(load16(sq)));
  for (int r = 0; r < rows; ++r) a.dist_sq[i + r] = std::sqrt(sq[r]);
}

SEGMINT_BODY void chunk_body(const ChunkArgs& a, std::size_t begin, std::size_t end,
                             double* partial) {
  const CentroidTable& t = *a.table;
  const int d = t.d, k = t.k;
  Tile tl(d, k);
  tl.set_check(a.check);
  ChunkSums acc(partial ? k : 0, d);
  ScreenChoice choice(a.screen);
  double changed = 0, inertia = 0;  // inertia: the partial's, or the last pass's (a.inertia)
  std::int32_t lab[kTile];
  float dist[kTile];
  for (std::size_t i = begin; i < end; i += kTile) {
    const int rows = end - i >= static_cast<std::size_t>(kTile) ? kTile : static_cast<int>(end - i);
    tl.load_rows(a.x, i, rows);
    label_tile_chosen(choice, tl, t, rows, lab);
    if (a.dist_sq) tile_exact(tl, t, lab, rows, dist);
    changed += store_labels(a.labels + i, lab, rows);
    if (a.dist_sq) put_distances(a, i, dist, rows, inertia);  // adds only with a.inertia
    if (!partial) continue;
    if (!a.weights && !a.dist_sq) {  // the Lloyd loop's pass
      acc.fold_unit_rows([&](std::size_t r) { return tl.row[r]; }, lab, rows);
      continue;
    }
    for (int r = 0; r < rows; ++r) {
      const double wi = a.weights ? a.weights[i + r] : 1.0;
      acc.fold(tl.row[r], wi, lab[r]);
      if (a.dist_sq) inertia += wi * dist[r];
    }
  }
  tl.report_range(a.check);
  if (a.inertia) a.inertia[begin / kChunkRows] = inertia;  // never with partial
  if (partial) {
    acc.store(partial);
    partial[static_cast<std::size_t>(k) * d + k] = inertia;
    partial[static_cast<std::size_t>(k) * d + k + 1] = changed;
    partial[static_cast<std::size_t>(k) * d + k + 2] = 0;  // no bounds: nothing skipped
  }
}

// A chunk of a pass with the trailing fold (lloyd_trailing_body, refresh_trailing_body): its
// tile, sums, screen choice and count of changed labels. The TrailingFold stays a local of the
// body: as a member here its fields lived in memory and the 16 x 16 pass took 12% longer.
struct TrailingChunk {
  const CentroidTable& t;
  Tile tl;
  ChunkSums acc;
  ScreenChoice choice;
  double changed = 0;
  explicit TrailingChunk(const ChunkArgs& a)
      : t(*a.table), tl(t.d, t.k), acc(t.k, t.d), choice(a.screen) {
    tl.set_check(a.check);
  }
  // After the last tile and the fold's last rows: the range check and the chunk's partial (no
  // distances, no rows skipped).
  SEGMINT_INLINE void finish(const ChunkArgs& a, double* partial) {
    tl.report_range(a.check);
    acc.store(partial);
    const std::size_t kd = static_cast<std::size_t>(t.k) * t.d;
    partial[kd + t.k] = 0;
    partial[kd + t.k + 1] = changed;
    partial[kd + t.k + 2] = 0;
  }
};

// chunk_body's Lloyd loop pass (unit weights, no distances) where the trailing fold pays: each
// tile's rows fold during the next tile's screen (TrailingFold). A body of its own, so that
// chunk_body's code stays as it was where it does not pay (in it, the same lines made the fit
// at 1M x 64, k 16 8% slower, where they did not run).
SEGMINT_BODY void lloyd_trailing_body(const ChunkArgs& a, std::size_t begin, std::size_t end,
                                      double* partial) {
  TrailingChunk c(a);
  TrailingFold trailing{c.acc};
  std::int32_t lab[kTile];
  for (std::size_t i = begin; i < end; i += kTile) {
    const int rows = end - i >= static_cast<std::size_t>(kTile) ? kTile : static_cast<int>(end - i);
    c.tl.load_rows(a.x, i, rows);
    label_tile_chosen<false>(c.choice, c.tl, c.t, rows, lab, nullptr, &trailing);
    trailing.finish();
    c.changed += store_labels(a.labels + i, lab, rows);
    trailing.start(a.x, i, a.labels + i, rows);
  }
  trailing.finish();
  c.finish(a, partial);
}

// Rows [i, i + rows)' exact squared distances to their labels (tile_exact) into dist_sq; in
// the fit's last pass (a.inertia) added to `sum` and replaced by their roots (put_distances).
SEGMINT_INLINE void block_distances(Tile& tl, const ChunkArgs& a, std::size_t i, int rows,
                                    double& sum) {
  tl.load_rows(a.x, i, rows);
  if (!a.inertia) return tile_exact(tl, *a.table, a.labels + i, rows, a.dist_sq + i);
  float sq[kTile];
  tile_exact(tl, *a.table, a.labels + i, rows, sq);
  put_distances(a, i, sq, rows, sum);
}

SEGMINT_INLINE void label_dist_body(const ChunkArgs& a, std::size_t begin, std::size_t end) {
  Tile tl(a.table->d, 1);
  double sum = 0;
  for (std::size_t i = begin; i < end; i += kTile) {
    const int rows = end - i >= static_cast<std::size_t>(kTile) ? kTile : static_cast<int>(end - i);
    block_distances(tl, a, i, rows, sum);
  }
  if (a.inertia) a.inertia[begin / kChunkRows] = sum;
}

}  // namespace
}  // namespace segmint::kmeans
