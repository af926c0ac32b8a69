// Migrations between two nights: how many users moved from each old segment to each new one.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace segmint::nightly {

/// A segment as the migration report names it.
struct SegmentRef {
  int id = 0;
  std::string name;
};

/// k_old x k_new counts plus users new tonight, by stable segment id.
struct Migrations {
  std::vector<SegmentRef> from;              ///< yesterday's segments, ascending id
  std::vector<SegmentRef> to;                ///< tonight's segments, ascending id
  std::vector<std::uint64_t> counts;         ///< from.size() x to.size(), row-major
  std::vector<std::uint64_t> new_users;      ///< per `to`: users without a segment yesterday
  std::uint64_t stayed = 0, moved = 0, new_total = 0;

  std::uint64_t at(std::size_t f, std::size_t t) const { return counts[f * to.size() + t]; }
  /// Users in segment `id` yesterday / tonight (0 when it did not exist).
  std::uint64_t size_before(int id) const;
  std::uint64_t size_after(int id) const;
};

/// Counts migrations. `before[u]` is user u's segment id yesterday (-1: not yet a user),
/// `after[u]` tonight's (every user has one); `before` may be shorter than `after` (users
/// appended to the dictionary tonight). Users are matched by their persistent dense index, i.e.
/// by user id, because the dictionary is part of the state and only ever appended to.
Migrations count_migrations(const std::vector<SegmentRef>& from, const std::vector<SegmentRef>& to,
                            const std::vector<std::int32_t>& before,
                            const std::vector<std::int32_t>& after);

/// migrations.csv: `from_segment,from_name,to_segment,to_name,users`, one row per cell of the
/// table (zeros included) in id order, then `new` rows for users new tonight.
std::string migrations_csv(const Migrations& m);

/// The "migrations" part of summary.json's changes section: ids, the matrix, new users, totals
/// and per-segment size change.
nlohmann::json migrations_json(const Migrations& m);

}  // namespace segmint::nightly
