// The global row order of a multi-rank run, computed without gathering the users anywhere: each
// new user's first-appearance key goes to the rank that read it, which sorts the keys it met,
// and an exclusive scan of the counts numbers them across ranks.
#pragma once
#include <cstdint>
#include <vector>

namespace segmint::dist {

/// Global row of each owned user (collective). first[i] is user i's position key (shuffle.hpp):
/// a saved user (key < kNewUser) keeps its row; new users are numbered from `state_rows` in key
/// order over all ranks, the order one process meets them in. *total receives the row count.
std::vector<std::uint64_t> global_rows(const std::vector<std::uint64_t>& first,
                                       std::uint64_t state_rows, std::uint64_t* total);

}  // namespace segmint::dist
