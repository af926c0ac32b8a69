// Fixed-order sums across the ranks: one process adds per-chunk double partials from 0.0 in chunk
// order; ranks hold consecutive chunks, so the same sum is a running total handed from rank to
// rank (or, for one value per chunk, every chunk's value gathered and added in order).
#pragma once
#include <cstddef>
#include <vector>

namespace segmint::dist {

/// `mine` holds this rank's chunks x width partials, chunk order. Returns on every rank the
/// width totals 0.0 + c0 + c1 + ... over all chunks of all ranks, added in chunk order (rank r
/// adds its chunks to what rank r-1 handed on; the last rank broadcasts).
std::vector<double> ordered_total(const std::vector<double>& mine, std::size_t width);

/// Every rank's chunk values (this rank's in `mine`), concatenated in rank order: the values of
/// all chunks in chunk order, on every rank.
std::vector<double> all_chunk_values(const std::vector<double>& mine);

/// 0.0 + v[0] + v[1] + ... in order (how one process totals its chunk partials).
double total_in_order(const std::vector<double>& v);

}  // namespace segmint::dist
