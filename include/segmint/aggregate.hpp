// Per-user mergeable aggregates (the UserTable): the state every feature is computed from.
// OWNER: features work (issue 3). The declarations marked [contract] are used by the pipeline,
// nightly and the GPU work: keep their signatures.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "segmint/detail/feature_math.hpp"
#include "segmint/events.hpp"
#include "segmint/ingest.hpp"

namespace segmint {

/// Limits of the aggregate options (the CLI and every saved-state reader enforce them).
inline constexpr std::int64_t kMaxSessionGapSeconds = 100LL * 365 * 24 * 3600;  ///< 100 years
inline constexpr int kMaxTzOffsetMinutes = 14 * 60;

/// Options of the aggregate stage.
struct AggregateOptions {
  std::int64_t session_gap_seconds = 30 * 60;  ///< inactivity gap that ends a session
  int tz_offset_minutes = 0;                   ///< local time = UTC + offset (day parts, days)
  int threads = 0;                             ///< 0 = all
  /// Host bytes the per-user aggregates, the batch being folded and the feature matrices may
  /// take (0 = no limit). Checked before each batch is folded and before the feature matrix is
  /// allocated: over the budget, the stage stops with RuntimeError (exit 3) saying how much it
  /// needs, instead of allocating. Aggregates grow by at most one batch past the last check.
  std::size_t memory_budget = 0;
};

/// Mergeable per-user aggregates, indexed by dense user index. [contract]
class UserTable {
 public:
  UserTable();
  explicit UserTable(const AggregateOptions& options);
  ~UserTable();
  UserTable(UserTable&&) noexcept;
  UserTable& operator=(UserTable&&) noexcept;

  /// Folds a batch of events in. Result independent of batch boundaries and row order. [contract]
  void add(const EventBatch& batch);
  /// this := merge(this, other); both indexed by the same user dictionary. [contract]
  void merge(const UserTable& other);
  /// Number of users (max user index + 1 seen). [contract]
  std::size_t users() const;
  /// Grows the table to at least `n` users; the new ones have no events (e.g. users interned by
  /// the dictionary whose rows were all skipped), so every dictionary index has a row.
  void ensure_users(std::size_t n);
  const AggregateOptions& options() const;
  /// Sets options().memory_budget (a table read by load() has none).
  void set_memory_budget(std::size_t bytes);
  /// Estimated heap bytes the table holds (user slots and every per-user set's capacity).
  std::size_t memory_bytes() const;
  /// Frees the aggregates of users [0, n) for good (n >= users() frees them all) and hands the
  /// freed memory back to the system: a caller that reads each user once, in order, from a table
  /// it owns (compute_features(UserTable&&)) keeps memory falling as it reads. Afterwards
  /// summary() of those users, add(), merge() and save() throw RuntimeError, and
  /// event_time_range() covers the users left.
  void release_users_before(std::size_t n);

  /// Persists the table (versioned, checksummed binary) for nightly state. [contract]
  void save(std::ostream& out) const;
  /// Reads a table written by save(); `name` labels errors. Throws InputError when the data is
  /// truncated, corrupt or of another version. [contract]
  static UserTable load(std::istream& in, const std::string& name);

  /// What the feature formulas read of user `user` (< users()): exact counts, money, times,
  /// orders, sessions and categories (see detail::UserSummary).
  detail::UserSummary summary(std::size_t user) const;
  /// Earliest first event and latest last event over all users; {detail::kNoTime,
  /// detail::kNoLastTime} when the table holds no event.
  std::pair<std::int64_t, std::int64_t> event_time_range() const;


 private:
  struct Impl;  ///< the per-user aggregates (host/aggregate/user_agg.hpp)
  std::unique_ptr<Impl> impl_;
};

/// Reads the whole source into a table. [contract]
UserTable aggregate_events(EventSource& source, const AggregateOptions& options);

}  // namespace segmint
