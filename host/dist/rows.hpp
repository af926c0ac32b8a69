// Feature rows of a multi-rank run: each owner computes its users' rows at the run's as_of, then
// the rows travel to the root in bounded rounds and land at their global rows.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "segmint/aggregate.hpp"
#include "segmint/dictionary.hpp"
#include "segmint/features.hpp"

namespace segmint::dist {

/// Raw features of the owned users (table order) at the run's as_of: options.as_of, else the
/// latest event over all ranks (collective). *as_of receives it.
FeatureMatrix owned_features(const UserTable& table, const FeatureOptions& options,
                             std::int64_t* as_of);

/// Rows travelling to the root per round and rank (bounds the messages).
inline constexpr std::size_t kRowsPerRound = std::size_t(1) << 18;

/// Collective: the root receives every owned user's id and feature row at its global row
/// (`rows[i]` for users.id(i) and mine's row i); `total` rows in all. Other ranks get nothing.
void gather_rows(const UserDictionary& users, const FeatureMatrix& mine,
                 const std::vector<std::uint64_t>& rows, std::uint64_t total,
                 std::vector<std::string>* ids, FeatureMatrix* raw);

}  // namespace segmint::dist
