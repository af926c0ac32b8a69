// The per-user aggregate (UserAgg) behind UserTable, and the exact merge that makes it a monoid.
//
// Representation choice (why distinct counts and gap statistics are exact under any split):
// everything is an integer or a small sorted, deduplicated set, and merge is a set union whose
// result does not depend on how the events were split or ordered:
//  - fixed counters (events by type, day parts, weekend), money as int64 micro-units (so sums are
//    exact and associative, unlike double sums), min/max times;
//  - orders: sorted by order key {first purchase time, has-purchase, cancelled} -> distinct
//    non-cancelled orders and their times;
//  - active days: sorted distinct local day numbers;
//  - sessions with a session id: sorted by key {first, last, events, first purchase without an
//    order id} -> sessions, durations, and "sessions with a purchase" as orders;
//  - purchases with neither order nor session id: a count and first/last time (each is an order);
//  - events without a session id: gap sessions as sorted intervals {start, end, events}; two
//    intervals closer than the gap coalesce on merge, which yields the same chains as
//    sessionising the union of the events (a gap longer than the session gap between
//    consecutive events of the union cannot be spanned by any interval of a part);
//  - categories (category key, else item key) with counts, for distinct count and entropy;
//  - open carts: times of carts later than the user's last purchase so far. A cart at or before
//    some purchase is "followed by a purchase" forever (the max purchase time only grows under
//    merge), so it is dropped; the remaining ones are the abandoned carts.
// Tie rules: equal times are equal (a cart and a purchase in the same second: the cart counts as
// followed); sets are ordered by key and merged field-wise with min/max/sum/or, all commutative.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "aggregate/user_sets.hpp"
#include "segmint/aggregate.hpp"
#include "segmint/detail/feature_math.hpp"

namespace segmint::agg {

struct UserAgg {
  std::uint64_t by_type[kEventTypeCount] = {};
  std::uint64_t activity = 0, weekend = 0;
  std::uint64_t day_part[4] = {};
  std::int64_t money_purchase_micro = 0, money_cancel_micro = 0;
  std::int64_t first_event = detail::kNoTime, last_event = detail::kNoLastTime;
  std::int64_t last_purchase = detail::kNoLastTime;
  /// Purchases with neither order nor session id: each is its own order.
  std::uint64_t loose_purchases = 0;
  std::int64_t loose_first = detail::kNoTime, loose_last = detail::kNoLastTime;
  UserSets sets;  ///< orders, sessions, gaps, categories, open carts, days (one block)

  bool empty() const { return first_event == detail::kNoTime; }
  Span<const OrderEntry> orders() const { return sets.orders(); }
  Span<const std::int32_t> days() const { return sets.days(); }
  Span<const SessionEntry> sessions() const { return sets.sessions(); }
  Span<const Interval> gaps() const { return sets.gaps(); }
  Span<const CategoryEntry> categories() const { return sets.categories(); }
  Span<const std::int64_t> open_carts() const {
    return sets.open_carts();
  }  ///< sorted, with duplicates
};

/// Heap bytes held by one aggregate's sets (one block of exactly their entries), for the budget.
inline std::int64_t heap_bytes(const UserAgg& u) {
  return static_cast<std::int64_t>(u.sets.bytes());
}

/// a := merge(a, b). Exact, associative and commutative.
void merge_into(UserAgg& a, const UserAgg& b, std::int64_t session_gap);

/// One event as fold_rows reads it: the batch's columns packed per row, so that folding a user's
/// events reads memory sequentially after one scatter (gathering 8 columns at random rows was the
/// bottleneck).
struct PackedEvent {
  std::int64_t time;
  double amount;
  std::uint64_t category;  ///< category key, else item key, else kNoKey
  std::uint64_t session, order;
  EventType type;
};
inline PackedEvent pack(const EventBatch& b, std::size_t r) {
  return {b.time[r],    b.amount[r], b.category[r] != kNoKey ? b.category[r] : b.item[r],
          b.session[r], b.order[r],  b.type[r]};
}

/// Rows UserTable::add folds at once (a batch's packed copies, 2 x 48 bytes a row, are made per
/// slice; larger batches are folded in slices). On time-ordered input a user gets few events
/// per slice, and each slice rewrites the sets of every user it touches: 2^20-row batches in
/// 2^20-row slices cut a 2.4 GB time-ordered run's CPU 6.6-7.5 -> 6.0-6.4 s, where 2^17-row
/// slices of the same batches changed nothing; user-grouped input: the same within noise
/// (2-core Zen 4, 2026-12-04). Bounds the scratch (96 MB). Tests lower it to fold in slices.
inline std::size_t dense_slice_rows = std::size_t(1) << 20;

/// Buffers of UserTable::add kept across batches (fresh ones of a batch's size cost a page
/// fault per 4 KiB on every batch): packed events, the same sorted by user, and their owners.
struct BatchScratch {
  std::vector<PackedEvent> packed, sorted;
  std::vector<std::uint32_t> owner;
};

/// Folds one user's events `ev[0..n)` into `out` (same result as merging their own aggregate
/// into it, in any order).
void fold_rows(const PackedEvent* ev, std::size_t n, const AggregateOptions& options, UserAgg& out);

/// Money of one event as exact micro-units (non-finite amounts count as 0; huge ones saturate).
std::int64_t to_micro(double amount);

/// Largest count a saved aggregate may hold (2^50 events): sums of a few cannot wrap around.
inline constexpr std::uint64_t kMaxSavedCount = std::uint64_t{1} << 50;

/// nullptr when `u` is an aggregate folding and merging can produce (times within
/// kMinEventTime..kMaxEventTime, counts consistent and bounded, sets canonical); else what is
/// wrong. UserTable::load checks every user with it: a checksum proves integrity, not sanity.
const char* check_user(const UserAgg& u, std::int64_t session_gap);

/// The exact summary the feature formulas read.
detail::UserSummary summarize(const UserAgg& u);

/// The per-user aggregates in fixed blocks, so that growing the table never moves the users it
/// already has: a vector's growth holds the old and the new array at once (at 1M users of ~330
/// bytes, a 600 MB spike at the end of the read, issue 15) and doubles its capacity.
class UserSlots {
 public:
  static constexpr std::size_t kBlock = 1024;  ///< users per block: at most one block idle

  std::size_t size() const { return size_; }
  /// Slots allocated: size() rounded up to whole blocks, less the blocks released.
  std::size_t capacity() const { return (blocks_.size() - freed_blocks_) * kBlock; }
  /// Users below this index were released (release_before).
  std::size_t released() const { return released_; }
  /// Grows to n users (new ones empty); never shrinks, never moves existing users.
  void resize(std::size_t n) {
    while (blocks_.size() * kBlock < n) blocks_.push_back(std::make_unique<UserAgg[]>(kBlock));
    size_ = n > size_ ? n : size_;
  }
  /// Frees users [released(), n): their sets, and each block they fill whole (all blocks when
  /// n >= size()). Returns the bytes of sets freed. A released user must not be read again.
  std::int64_t release_before(std::size_t n);
  /// Hints the cache with user i's aggregate (all its lines).
  void prefetch(std::size_t i) const {
    const char* p = reinterpret_cast<const char*>(&(*this)[i]);
    for (std::size_t at = 0; at < sizeof(UserAgg); at += 64) __builtin_prefetch(p + at);
    __builtin_prefetch(p + sizeof(UserAgg) - 1);
  }
  UserAgg& operator[](std::size_t i) { return blocks_[i / kBlock][i % kBlock]; }
  const UserAgg& operator[](std::size_t i) const { return blocks_[i / kBlock][i % kBlock]; }

 private:
  std::vector<std::unique_ptr<UserAgg[]>> blocks_;
  std::size_t size_ = 0;
  std::size_t released_ = 0;
  std::size_t freed_blocks_ = 0;  ///< blocks_[0, freed_blocks_) are released (null)
};

}  // namespace segmint::agg

namespace segmint {
struct UserTable::Impl {
  AggregateOptions options;
  agg::UserSlots users;
  std::int64_t set_bytes = 0;  ///< sum of agg::heap_bytes over users (kept as they change)
  agg::BatchScratch scratch;
};
}  // namespace segmint
