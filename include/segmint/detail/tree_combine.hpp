// The fixed-order pairwise tree in which a block combines the partials of a heavy user's chunks:
// at level `stride` (1, 2, 4, ...) slot i takes slot i + stride when i is a multiple of
// 2 * stride. Chunk order is kept, so an exact (associative) combine gives the sequential result
// in log2(n) steps instead of n - 1.
#pragma once
#include "segmint/detail/hd.hpp"

namespace segmint::detail {

/// Slot i's step of level `stride` of the tree over parts[0, n). Slots of one level touch
/// disjoint pairs, so a block runs a level with one thread per slot and a barrier after it.
template <class T, class Combine>
SEGMINT_HD void tree_step(T* parts, int n, int stride, int i, const Combine& combine) {
  if (i % (2 * stride) == 0 && i + stride < n) parts[i] = combine(parts[i], parts[i + stride]);
}

/// The whole tree on one thread, level by level (what a block computes): the combination of
/// parts[0, n) in order, left in parts[0] and returned. n >= 1.
template <class T, class Combine>
SEGMINT_HD T tree_combine(T* parts, int n, const Combine& combine) {
  for (int stride = 1; stride < n; stride *= 2) {
    for (int i = 0; i < n; i += 2 * stride) tree_step(parts, n, stride, i, combine);
  }
  return parts[0];
}

}  // namespace segmint::detail
