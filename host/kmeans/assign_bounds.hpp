// The Lloyd loop's bounded assignment pass (kmeans/bounds.hpp), compiled per instruction set
// with assign_kernel.hpp: rows whose bounds prove their label skip the screen, the others are
// gathered 16 to a tile, screened and re-ranked as in chunk_body and get fresh bounds; then the
// chunk's rows are folded in row order, so the sums are chunk_body's bit for bit (or, reusing
// the previous pass's sums, only the rows of the clusters a row entered or left: refold_touched;
// or, in a chunk whose sums are exact, the rows that move are moved in place: SumMoves).
// bounded_finish is the fit's last pass with bounds (labels and distances).
#pragma once

#include <algorithm>

#include "kmeans/assign_kernel.hpp"
#include "kmeans/exact_chunk.hpp"

namespace segmint::kmeans {
namespace {  // one copy per instruction-set translation unit (never shared across them)

SEGMINT_INLINE v16f vabs(v16f a) { return vselect(a < v16f{}, -a, a); }

// Bounds of a screened tile's lanes from the screen values (ScreenBound's error model, with
// xn' the computed ||x||^2, A = error(xn') >= |f'_c - f_c| and f'_o the smallest screen value
// of the centroids other than the label a):
//   ||x - c_a||^2 = xn + f_a <= b1 xn' + f'_a + A,   ||x - c||^2 >= xlo xn' + f'_o - A (c != a).
// Each side is evaluated in float (a handful of roundings, each within 2^-24 of a term's
// magnitude) and widened by 2^-20 of the magnitude plus 2^-100 (underflow); the square roots
// (correctly rounded) by 2^-20 more. A lane the screen cannot be trusted for (threshold +inf)
// gets upper +inf: it is never proven. Lower bounds are capped at 2^60 (BoundMargin).
SEGMINT_INLINE void refresh_bounds(const Tile& tl, const Lanes& ln, const std::int32_t* lab,
                                   int rows, const BoundArgs& bargs, int k, float* up, float* lo) {
  const float xlo = bargs.xlo;
  // fa: each lane's screen value of its label. Where the label is the screen's first minimum
  // (every settled lane, and most re-ranked ones) that is the minimum; only a tile with a lane
  // re-ranked to another centroid gathers it from f[16 a + r].
  std::int32_t im[kTile];
  store_lanes(im, ln.im);
  v16f fa = ln.mv;
  if (lanes_differ(lab, im) & ((1u << rows) - 1)) {
    std::int32_t at[kTile];
    for (int r = 0; r < kTile; ++r) at[r] = kTile * lab[r < rows ? r : rows - 1] + r;
    fa = gather16(tl.f.data(), at);
  }
  const v16f xn = ln.xn;
  const v16f fo = vselect(fa == ln.mv, ln.m2, ln.mv);  // a is (one of) the minima: the next value
  const ScreenBound& b = *ln.bound;
  const v16f big = b.b1 * xn, a = b.error(xn, ln.ae);
  const v16f u2 = (big + fa + a) + (0x1p-20f * (big + vabs(fa) + a) + 0x1p-100f);
  const v16f l2 = (xlo * xn + fo - a) - (0x1p-20f * (xn + vabs(fo) + a) + 0x1p-100f);
  const v16f u = vsqrt(vselect(u2 >= 0, u2, v16f{} + kInf)) * (1 + 0x1p-20f);  // NaN: +inf
  const v16f l = vsqrt(vselect(l2 > 0, l2, v16f{})) * (1 - 0x1p-20f);          // NaN: 0
  // Stored relative to the epoch's movement (BoundArgs), rounded outward: s +- |s| 2^-22 is on
  // the outer side of the exact sum (one rounding of 2^-24). A lower bound above 2^60 is stored
  // as 2^60 and a NaN one as 0, which only loosens them (neither arises from finite tables: l
  // is never NaN and other_low is finite, RowBounds::shift; a NaN upper never proves a row).
  const v16f su = vselect(ln.thr < kInf, u, v16f{} + kInf) - lookup16(bargs.drift_low, k, lab);
  const v16f sl = vmin(l, v16f{} + 0x1p60f) + lookup16(bargs.other_low, k, lab);
  const v16f low = sl - vabs(sl) * 0x1p-22f;
  store16(up, su + vabs(su) * 0x1p-22f);
  store16(lo, vselect(low >= 0, vmin(low, v16f{} + 0x1p60f), v16f{}));
}

// The bounds of rows [i, i + n) (n <= 16) as this pass reads them (BoundArgs): upper + drift[a],
// lower - other[a] (the triangle inequality over every update since the epoch), each rounded
// outward; lower stays >= 0. Nothing is written: a proven row keeps its stored bounds. Returns
// the mask of rows proven (BoundMargin::proves, lane-wise). drift and other: b's tables, which
// the caller's loop over the blocks holds (LaneTable).
SEGMINT_INLINE std::uint32_t shift_rows(const BoundArgs& b, const LaneTable& drift,
                                        const LaneTable& other, const std::int32_t* lab,
                                        std::size_t i, int n) {
  std::int32_t c[kTile];
  float up[kTile], lo[kTile];
  const std::int32_t* cp = lab + i;  // a full block reads its rows in place (no copy to
  const float* upp = b.upper + i;    // the stack: 16 scalar stores then a vector load
  const float* lop = b.lower + i;    // stall on store forwarding)
  if (n < kTile) {
    for (int r = 0; r < kTile; ++r) {
      const std::size_t q = i + (r < n ? r : n - 1);
      c[r] = lab[q];
      up[r] = b.upper[q];
      lo[r] = b.lower[q];
    }
    cp = c;
    upp = up;
    lop = lo;
  }
  const v16f su = load16(upp) + drift(cp);
  const v16f sl = load16(lop) - other(cp);
  const v16f u = su + vabs(su) * 0x1p-22f;
  const v16f l0 = sl - vabs(sl) * 0x1p-22f;
  const v16f l = vselect(l0 > 0, l0, v16f{});
  return lanes_less(u * b.margin.rho + b.margin.abs, l) & ((1u << n) - 1);
}

// What a pass reusing the previous sums does with a row that changes label: in a chunk whose
// sums are exact (BoundArgs::exact_chunks) the row leaves one cluster's sums and enters the
// other's in place (exact, so the bits of a refold in row order); elsewhere, or where either
// cluster holds one of the chunk's fine rows (`coarse` 0), both clusters are marked for
// refold_touched. A move in place into a cluster a fine row enters later in the pass is undone
// by its refold.
struct SumMoves {
  std::uint8_t* touched = nullptr;       // k flags
  const std::uint8_t* coarse = nullptr;  // k flags, or null: no sum is exact
  double* sums = nullptr;                // the chunk's partial
  MatrixView x;
  int k = 0;
  SEGMINT_INLINE void move(std::size_t i, int from, int to) {
    if (!coarse || !coarse[from] || !coarse[to]) {
      touched[from] = touched[to] = 1;
      return;
    }
    const int d = static_cast<int>(x.cols);
    const float* xi = x.row(i);
    double* out = sums + static_cast<std::size_t>(from) * d;
    double* in = sums + static_cast<std::size_t>(to) * d;
    int j = 0;
    for (; j + 8 <= d; j += 8) {
      const v8d v = widen8(xi + j);
      store8d(out + j, load8d(out + j) - v);
      store8d(in + j, load8d(in + j) + v);
    }
    for (; j < d; ++j) {
      out[j] -= xi[j];
      in[j] += xi[j];
    }
    sums[static_cast<std::size_t>(k) * d + from] -= 1;
    sums[static_cast<std::size_t>(k) * d + to] += 1;
  }
};

// Screens the rows at[0..rows), writes their labels and fresh bounds; returns how many changed.
// moves (may be null): told of every row that changes label. side: work beside the screen
// (label_tile).
template <class Side = NoSide>
SEGMINT_INLINE int screen_rows(ScreenChoice& choice, Tile& tl, const ChunkArgs& a,
                               const std::size_t* at, int rows, SumMoves* moves,
                               Side* side = nullptr) {
  const BoundArgs& b = *a.bounds;
  std::int32_t lab[kTile];
  float up[kTile], lo[kTile];
  Lanes ln;
  tl.gather_rows(a.x, at, rows);
  label_tile_chosen<true>(choice, tl, *a.table, rows, lab, &ln, side);
  refresh_bounds(tl, ln, lab, rows, b, a.table->k, up, lo);
  if (rows == kTile && at[kTile - 1] == at[0] + kTile - 1) {  // 16 consecutive rows
    const std::size_t i = at[0];
    std::memcpy(b.upper + i, up, sizeof up);
    std::memcpy(b.lower + i, lo, sizeof lo);
    if (moves)
      for (std::uint32_t m = lanes_differ(a.labels + i, lab); m; m &= m - 1) {
        const int r = __builtin_ctz(m);
        moves->move(i + r, a.labels[i + r], lab[r]);
      }
    return store_labels(a.labels + i, lab, kTile);
  }
  int changed = 0;
  for (int r = 0; r < rows; ++r) {
    const std::size_t i = at[r];
    if (a.labels[i] != lab[r]) {
      ++changed;
      if (moves) moves->move(i, a.labels[i], lab[r]);
    }
    a.labels[i] = lab[r];
    b.upper[i] = up[r];
    b.lower[i] = lo[r];
  }
  return changed;
}

// Proven rows in a 16-row block below which the block is screened whole.
constexpr int kGatherMin = 8;

// A pass reusing the previous sums (BoundArgs::reuse_sums), after its labels: the clusters no
// row entered or left keep their slot in partial; the touched ones are refolded from zero over
// the chunk's rows of those clusters, in row order (what a full fold adds for them, bit for
// bit). Their rows are listed first and prefetched ahead: they are scattered over the chunk.
SEGMINT_INLINE void refold_touched(const ChunkArgs& a, std::size_t begin, std::size_t end,
                                   const std::uint8_t* touched, double* partial) {
  const int k = a.table->k, d = a.table->d;
  bool any = false;
  for (int c = 0; c < k; ++c) any |= touched[c] != 0;
  if (!any) return;
  // The rows to refold, 16 at a time: a mask built without branches, then its set bits. A
  // branch a row mispredicts where an eighth of the rows are touched (16 x 16); storing every
  // row's index and advancing by its flag costs a store a row where few are (32 x 64, ~5% of
  // a whole fit). Against either, this one measured within this box's noise (2026-12-05).
  std::vector<std::uint32_t> rows;
  rows.reserve(end - begin);
  for (std::size_t i = begin; i < end; i += 16) {
    const int n = end - i < 16 ? static_cast<int>(end - i) : 16;
    std::uint32_t mask = 0;
    for (int r = 0; r < n; ++r) mask |= static_cast<std::uint32_t>(touched[a.labels[i + r]]) << r;
    for (; mask; mask &= mask - 1)
      rows.push_back(static_cast<std::uint32_t>(i - begin) + __builtin_ctz(mask));
  }
  ChunkSums acc(k, d);
  constexpr std::size_t kAhead = 16;  // rows prefetched ahead of the fold
  const std::size_t row_bytes = sizeof(float) * static_cast<std::size_t>(d);
  for (std::size_t q = 0; q < rows.size(); ++q) {
    if (q + kAhead < rows.size()) prefetch_span(a.x.row(begin + rows[q + kAhead]), row_bytes);
    const std::size_t i = begin + rows[q];
    if (a.weights)
      acc.fold(a.x.row(i), a.weights[i], a.labels[i]);
    else
      acc.fold_unit(a.x.row(i), a.labels[i]);
  }
  for (int c = 0; c < k; ++c) {
    if (!touched[c]) continue;
    std::memcpy(partial + static_cast<std::size_t>(c) * d,
                acc.sums + static_cast<std::size_t>(c) * acc.dpad, sizeof(double) * d);
    partial[static_cast<std::size_t>(k) * d + c] = acc.weight(c);
  }
}

// Whole blocks of rows holding about 64 KB of x (d features), at least one block.
SEGMINT_INLINE std::size_t rows_in_64k(int d) {
  const std::size_t rows = (std::size_t{64} << 10) / (sizeof(float) * static_cast<std::size_t>(d));
  return rows < kTile ? kTile : rows / kTile * kTile;
}

// Rows of a window: 64 KB of x, but at least 256 (each window may end on a short tile of
// pending rows: with wide rows that must stay rare) and at most 1024.
SEGMINT_INLINE std::size_t window_rows(int d) {
  return std::clamp<std::size_t>(rows_in_64k(d), 256, 1024);
}

// Rows [from, to) that a window's fold will want: x into L2 (a window of it would crowd L1),
// labels, bounds and weights into L1.
SEGMINT_INLINE void prefetch_window_rows(const ChunkArgs& a, std::size_t from, std::size_t to) {
  const std::size_t rows = to - from;
  prefetch_span<2>(a.x.row(from), sizeof(float) * a.x.cols * rows);
  prefetch_span(a.labels + from, sizeof(std::int32_t) * rows);
  prefetch_span(a.bounds->upper + from, sizeof(float) * rows);
  prefetch_span(a.bounds->lower + from, sizeof(float) * rows);
  if (a.weights) prefetch_span(a.weights + from, sizeof(float) * rows);
}

SEGMINT_BODY void bounded_body(const ChunkArgs& a, std::size_t begin, std::size_t end,
                               double* partial) {
  const CentroidTable& t = *a.table;
  const BoundArgs& b = *a.bounds;
  const int d = t.d, k = t.k;
  Tile tl(d, k);
  tl.set_check(a.check);  // every row is screened when it checks (no shift: nothing proven)
  std::size_t pending[kTile];
  int np = 0;
  double changed = 0, skipped = 0;
  // Reusing the previous sums, the fold waits for the chunk's labels (refold_touched), and only
  // the rows screened are read before it: no block prefetch, a pending row's lines. (An exact
  // chunk's shifting pass is exact_sweep_body's.)
  const bool reuse = partial && b.shift && b.reuse_sums;
  std::vector<std::uint8_t> touched(reuse ? k : 0, 0);
  SumMoves sink{touched.data(), nullptr, partial, a.x, k};
  SumMoves* const moves = reuse ? &sink : nullptr;
  ChunkSums acc(partial && !reuse ? k : 0, d);
  ScreenChoice choice(a.screen);
  const LaneTable drift(b.drift, k), other(b.other, k);
  // A shifting pass that folds as it goes does it a window at a time: the window's rows are
  // screened (its last pending rows as a short tile), then folded while the next window is
  // prefetched. Folding each block as soon as the rows before it were final, a pending row held
  // the fold back until a tile of pending rows was screened, and the fold then ran in a burst
  // with no loads in flight: 3% of rows unproven cost 4.08 ms against 2.45 all proven at
  // 1M x 16 (2 threads); windowed 3.17 and 2.42 (BM_AssignPassMostProven, 2026-12-05).
  const bool windowed = partial && b.shift && !reuse;
  const std::size_t window = windowed ? window_rows(d) : 0;
  // How far ahead of itself the fold prefetches: a window, or 64 KB of x where that is less.
  const std::size_t ahead_rows = std::min(window, rows_in_64k(d));
  std::size_t window_end = begin + window;
  std::size_t folded = begin;  // rows [begin, folded) are in the sums (row order)
  auto fold_to = [&](std::size_t stop) __attribute__((always_inline)) {
    if (!partial || reuse) return;  // labels only, or the fold waits for the labels
    if (!a.weights && stop > folded) {
      const std::size_t from = folded;
      acc.fold_unit_rows([&](std::size_t q) { return a.x.row(from + q); }, a.labels + from,
                         stop - from);
      folded = stop;
    }
    for (; folded < stop; ++folded) acc.fold(a.x.row(folded), a.weights[folded], a.labels[folded]);
  };
  // Folds rows [folded, stop) a block at a time, prefetching the rows ahead_rows ahead of each.
  auto fold_window = [&](std::size_t stop) __attribute__((always_inline)) {
    while (folded < stop) {
      const std::size_t ahead = folded + ahead_rows;
      if (ahead < end) prefetch_window_rows(a, ahead, end - ahead < kTile ? end : ahead + kTile);
      fold_to(stop - folded < kTile ? stop : folded + kTile);
    }
  };
  for (std::size_t i = begin; i < end; i += kTile) {
    const int n = end - i >= static_cast<std::size_t>(kTile) ? kTile : static_cast<int>(end - i);
    if (windowed && i == window_end) {
      if (np) changed += screen_rows(choice, tl, a, pending, np, moves);
      np = 0;
      fold_window(i);
      window_end = i + window;
    }
    // The first window's rows were not prefetched by a fold. (queue_prefetch: the block
    // kQueueAhead blocks on.)
    if (!reuse && (!windowed || i < begin + window)) tl.queue_prefetch(a.x, i);
    const std::uint32_t proven = b.shift ? shift_rows(b, drift, other, a.labels, i, n) : 0;
    // Few rows proven: the whole block is screened as one tile (contiguous loads and stores);
    // gathering pays only when most of a block is proven (measured: docs/ARCHITECTURE.md).
    if (n == kTile && __builtin_popcount(proven) < kGatherMin) {
      std::size_t block[kTile];
      for (int r = 0; r < kTile; ++r) block[r] = i + r;
      changed += screen_rows(choice, tl, a, block, kTile, moves);
      if (!windowed) fold_to(np ? pending[0] : i + n);
      continue;
    }
    skipped += __builtin_popcount(proven);
    for (std::uint32_t todo = ~proven & ((1u << n) - 1); todo; todo &= todo - 1) {
      pending[np++] = i + static_cast<unsigned>(__builtin_ctz(todo));
      if (reuse) prefetch_span(a.x.row(pending[np - 1]), sizeof(float) * d);
      if (np == kTile) {
        changed += screen_rows(choice, tl, a, pending, np, moves);
        np = 0;
      }
    }
    // Labels are final up to the first pending row: fold while the rows are still in cache.
    if (!windowed) fold_to(np ? pending[0] : i + n);
  }
  if (np) changed += screen_rows(choice, tl, a, pending, np, moves);
  fold_to(end);
  tl.report_range(a.check);
  if (!partial) return;
  if (b.exact_chunks && !a.weights) certify_chunk(a, begin, end);
  if (reuse)  // the clusters rows entered or left
    refold_touched(a, begin, end, touched.data(), partial);
  else
    acc.store(partial);
  partial[static_cast<std::size_t>(k) * d + k] = 0;  // no distances in the bounded pass
  partial[static_cast<std::size_t>(k) * d + k + 1] = changed;
  partial[static_cast<std::size_t>(k) * d + k + 2] = skipped;
}

// The rows of a chunk that a shifting pass's bounds leave open (exact_sweep_body,
// bounded_finish), in block order:
// `whole` the blocks screened as one tile (fewer than kGatherMin rows proven: contiguous loads
// and stores), `rows` the others' open rows (offsets in the chunk), gathered 16 to a tile.
struct OpenRows {
  std::uint32_t whole[kChunkRows / kTile];
  std::uint32_t rows[kChunkRows];
  int n_whole = 0, n_rows = 0;
  std::size_t skipped = 0;  // rows proven outside the whole blocks
  // Every block's bounds in one sweep over labels and bounds (the tables held in registers): a
  // late pass of a whole fit proves ~99% of the rows and reads nothing else.
  SEGMINT_INLINE OpenRows(const ChunkArgs& a, std::size_t begin, std::size_t end) {
    const BoundArgs& b = *a.bounds;
    const LaneTable drift(b.drift, a.table->k), other(b.other, a.table->k);
    for (std::size_t i = begin; i < end; i += kTile) {
      const int n = end - i >= static_cast<std::size_t>(kTile) ? kTile : static_cast<int>(end - i);
      const std::uint32_t m = shift_rows(b, drift, other, a.labels, i, n);
      const auto block = static_cast<std::uint32_t>(i - begin);
      if (n == kTile && __builtin_popcount(m) < kGatherMin) {
        whole[n_whole++] = block;
        continue;
      }
      skipped += static_cast<std::size_t>(__builtin_popcount(m));
      for (std::uint32_t todo = ~m & ((1u << n) - 1); todo; todo &= todo - 1)
        rows[n_rows++] = block + static_cast<std::uint32_t>(__builtin_ctz(todo));
    }
  }
  // Hands fn(at, rows, whole) the open rows of the chunk from `begin` (at: rows of x), a tile at
  // a time: each whole block (whole true), then the gathered rows 16 to a tile (the last tile
  // may be short). fn reads the tile's rows (Tile::gather_rows). x is read only for these rows:
  // a whole block's lines are queued for the tile's own prefetch two blocks ahead
  // (Tile::queue_rows), a gathered row's into L2 kOpenAhead rows ahead (into L1 the passes 7-10 of
  // a 1M x 32, k 64 fit took 70-76 ms against 59-65, 2026-12-05). fn is an always_inline lambda:
  // called out of line, bounded_finish at 1M x 32, k 64 with every row open took 29.4 ms
  // against 24.8.
  template <class Fn>
  SEGMINT_INLINE void for_tiles(const ChunkArgs& a, std::size_t begin, Tile& tl, Fn&& fn) const {
    const std::size_t row_bytes = sizeof(float) * a.x.cols;
    std::size_t at[kTile];
    for (int w = 0; w < n_whole && w < 2; ++w)
      prefetch_span<2>(a.x.row(begin + whole[w]), row_bytes * kTile);
    for (int w = 0; w < n_whole; ++w) {
      if (w + 2 < n_whole) tl.queue_rows(a.x, begin + whole[w + 2]);
      for (int r = 0; r < kTile; ++r) at[r] = begin + whole[w] + r;
      fn(at, kTile, true);
    }
    constexpr int kOpenAhead = 24;
    for (int q = 0; q < n_rows && q < kOpenAhead; ++q)
      prefetch_span<2>(a.x.row(begin + rows[q]), row_bytes);
    int np = 0;
    for (int q = 0; q < n_rows; ++q) {
      if (q + kOpenAhead < n_rows)
        prefetch_span<2>(a.x.row(begin + rows[q + kOpenAhead]), row_bytes);
      at[np++] = begin + rows[q];
      if (np == kTile) {
        fn(at, np, false);
        np = 0;
      }
    }
    if (np) fn(at, np, false);
  }
};

// A shifting pass over an exact chunk (BoundArgs::exact_chunks; unit weights): the bounds of all
// its rows first (OpenRows), then the open ones screened, each row that changes label moved
// from one cluster's sums to the other's in place (SumMoves; a cluster holding a fine row is
// refolded). Interleaving the bounds with the screens block by block, 8 blocks ahead, a late
// pass of a whole fit at 1M x 16, k 16 took ~0.7-0.9 ms against ~0.4 (2 threads; its own loop
// cost more than reading the 12 bytes a row, 2026-12-05).
SEGMINT_BODY void exact_sweep_body(const ChunkArgs& a, std::size_t begin, std::size_t end,
                                   double* partial) {
  const int d = a.table->d, k = a.table->k;
  const OpenRows open(a, begin, end);
  std::vector<std::uint8_t> touched(2 * k, 0);  // and the coarse clusters
  coarse_clusters(a.bounds->exact_chunks[begin / kChunkRows], a.labels + begin, k,
                  touched.data() + k);
  SumMoves sink{touched.data(), touched.data() + k, partial, a.x, k};
  double changed = 0;
  if (open.n_whole || open.n_rows) {
    Tile tl(d, k);
    ScreenChoice choice(a.screen);
    open.for_tiles(
        a, begin, tl, [&](const std::size_t* at, int rows, bool) __attribute__((always_inline)) {
          changed += screen_rows(choice, tl, a, at, rows, &sink);
        });
  }
  refold_touched(a, begin, end, touched.data(), partial);  // clusters with a fine row
  partial[static_cast<std::size_t>(k) * d + k] = 0;        // no distances in the bounded pass
  partial[static_cast<std::size_t>(k) * d + k + 1] = changed;
  partial[static_cast<std::size_t>(k) * d + k + 2] = static_cast<double>(open.skipped);
}

// A bounded pass that proves nothing (the bounds' first pass, or one after they were
// invalidated: BoundArgs::shift false) of the Lloyd loop (unit weights) where the trailing fold
// pays: bounded_body's work for it, every row screened and given fresh bounds, with each tile's
// rows folded during the next tile's screen (TrailingFold). A body of its own, so that
// bounded_body's code stays as it was for the other passes (in it, the same lines made the
// fit at 1M x 64, k 16 8% slower, where they did not run).
SEGMINT_BODY void refresh_trailing_body(const ChunkArgs& a, std::size_t begin, std::size_t end,
                                        double* partial) {
  TrailingChunk c(a);
  TrailingFold trailing{c.acc};
  for (std::size_t i = begin; i < end; i += kTile) {
    const int n = static_cast<int>(std::min<std::size_t>(end - i, kTile));  // 1 .. 16
    std::size_t block[kTile];
    for (int r = 0; r < n; ++r) block[r] = i + r;
    c.tl.queue_prefetch(a.x, i);
    c.changed += screen_rows(c.choice, c.tl, a, block, n, nullptr, &trailing);
    trailing.finish();
    trailing.start(a.x, i, a.labels + i, n);
  }
  trailing.finish();
  if (a.bounds->exact_chunks) certify_chunk(a, begin, end);  // unit weights here
  c.finish(a, partial);                                      // nothing proven: no rows skipped
}

// The fit's last pass with bounds (dist_sq set, no partial). Where they shift, the rows the
// bounds prove keep their label and the others (OpenRows) are screened first: a whole block
// gets its squared distances with its labels (tile_exact of the label, as label_distances
// computes it), the gathered rows only their labels. Then, in row order, every other block gets
// its squares and, where the pass adds the inertia (a.inertia), every row its term of the sum
// and its root. OpenRows reads every bound before a distance is written (dist_sq may be the
// bounds' upper array, final_pass). Proving each block just before its screen and summing the
// inertia behind the first pending row instead, the pass took 3.51 ms with 3% of the rows open
// (now 3.10) and 2.96 with none (now 2.69) at 1M x 16, k 16; 14.2 (now 12.9) with 3% open at
// 1M x 32, k 64 (BM_FinalPassMostProven, 2 threads, 2026-12-05). Where nothing is proven (no
// shift), chunk_body's pass.
SEGMINT_BODY void bounded_finish(const ChunkArgs& a, std::size_t begin, std::size_t end) {
  if (!a.bounds->shift) return chunk_body(a, begin, end, nullptr);
  const CentroidTable& t = *a.table;
  const OpenRows open(a, begin, end);
  Tile tl(t.d, t.k);
  if (open.n_whole || open.n_rows) {
    ScreenChoice choice(a.screen);
    std::int32_t lab[kTile];
    open.for_tiles(
        a, begin,
        tl, [&](const std::size_t* at, int rows, bool whole) __attribute__((always_inline)) {
          tl.gather_rows(a.x, at, rows);
          label_tile_chosen(choice, tl, t, rows, lab);
          for (int r = 0; r < rows; ++r) a.labels[at[r]] = lab[r];
          if (whole) tile_exact(tl, t, lab, rows, a.dist_sq + at[0]);
        });
  }
  double sum = 0;
  int w = 0;  // the next whole block
  for (std::size_t i = begin; i < end; i += kTile) {
    const int rows = end - i >= static_cast<std::size_t>(kTile) ? kTile : static_cast<int>(end - i);
    if (w < open.n_whole && begin + open.whole[w] == i) {  // its squares are in dist_sq
      ++w;
      if (a.inertia) put_distances(a, i, a.dist_sq + i, rows, sum);  // in place
      continue;
    }
    block_distances(tl, a, i, rows, sum);
  }
  if (a.inertia) a.inertia[begin / kChunkRows] = sum;
}

// Whether the chunk from `begin` is an exact one in a shifting pass of the Lloyd loop (bounds
// set): exact_sweep_body's.
SEGMINT_INLINE bool exact_shift(const ChunkArgs& a, std::size_t begin, const double* partial) {
  const BoundArgs& b = *a.bounds;
  return partial && b.shift && !a.weights && b.exact_chunks &&
         b.exact_chunks[begin / kChunkRows].state == kExactYes;
}

// The pass's entry: with the Lloyd loop's bounds the bounded body (no dist_sq; no partial:
// labels only; refresh_trailing_body where it proves nothing and the trailing fold pays,
// exact_sweep_body in an exact chunk where it shifts) or the fit's last pass (dist_sq), else
// chunk_body (lloyd_trailing_body for the Lloyd loop's pass where the trailing fold pays).
SEGMINT_INLINE void assign_body(const ChunkArgs& a, std::size_t begin, std::size_t end,
                                double* partial) {
  // The Lloyd loop's unit-weight pass where the trailing fold pays.
  const bool trails = partial && !a.weights && trailing_fold_pays(a.table->k, a.table->d);
  if (a.bounds && !a.dist_sq && trails && !a.bounds->shift)
    refresh_trailing_body(a, begin, end, partial);
  else if (a.bounds && !a.dist_sq && exact_shift(a, begin, partial))
    exact_sweep_body(a, begin, end, partial);
  else if (a.bounds && !a.dist_sq)
    bounded_body(a, begin, end, partial);
  else if (a.bounds)
    bounded_finish(a, begin, end);
  else if (trails && !a.dist_sq)
    lloyd_trailing_body(a, begin, end, partial);
  else
    chunk_body(a, begin, end, partial);
}

#undef SEGMINT_INLINE
#undef SEGMINT_BODY

}  // namespace
}  // namespace segmint::kmeans
