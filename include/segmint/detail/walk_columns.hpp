// The event columns the device aggregation walks, the sets it sorts by (active days, orders,
// session ids, categories), their sort keys and the user segment search: shared __host__
// __device__ by the kernels and by the CPU emulation in the unit tests.
#pragma once
#include <cstdint>

#include "segmint/detail/feature_math.hpp"
#include "segmint/events.hpp"

namespace segmint::detail {

/// Columns of one pass (user = local index in the pass); host or device pointers.
struct EventColumns {
  const std::int64_t* time;
  const double* amount;
  const std::uint64_t* item;
  const std::uint64_t* category;
  const std::uint64_t* session;
  const std::uint64_t* order;
  const std::uint32_t* user;
  const std::uint8_t* type;
};

enum class SetKind : int { days = 0, orders = 1, sessions = 2, categories = 3 };
inline constexpr SetKind kSetKinds[4] = {SetKind::days, SetKind::orders, SetKind::sessions,
                                         SetKind::categories};

namespace walk {
/// The event type of a type-column entry (the column holds EventType's stable codes).
SEGMINT_HD EventType type_of(std::uint8_t code) { return static_cast<EventType>(code); }
SEGMINT_HD std::int64_t lo(std::int64_t a, std::int64_t b) { return a < b ? a : b; }
SEGMINT_HD std::int64_t hi(std::int64_t a, std::int64_t b) { return a > b ? a : b; }
SEGMINT_HD void count_order(UserSummary& s, std::int64_t t) {
  s.orders += 1;
  s.first_order = lo(s.first_order, t);
  s.last_order = hi(s.last_order, t);
}
}  // namespace walk

/// Signed order as unsigned order (radix sort keys).
SEGMINT_HD std::uint64_t ordered_key(std::int64_t v) {
  return static_cast<std::uint64_t>(v) ^ (std::uint64_t{1} << 63);
}

/// First position p in sorted[0, n) with sorted[p] >= user: where user's segment starts in the
/// user-sorted keys (n when past the end). Binary search, 64-bit positions.
SEGMINT_HD std::uint64_t segment_start(const std::uint64_t* sorted, std::uint64_t n,
                                       std::uint64_t user) {
  std::uint64_t lo = 0, hi = n;
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (sorted[mid] < user)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/// Whether row r belongs to the set.
SEGMINT_HD bool in_set(SetKind k, const EventColumns& c, std::uint32_t r) {
  using namespace walk;
  const EventType ty = type_of(c.type[r]);
  switch (k) {
    case SetKind::days:
      return ty != EventType::email_send;
    case SetKind::orders:
      return (ty == EventType::purchase || ty == EventType::cancel) && c.order[r] != kNoKey;
    case SetKind::sessions:
      return ty != EventType::email_send && c.session[r] != kNoKey;
    default:
      return ty != EventType::email_send && (c.category[r] != kNoKey || c.item[r] != kNoKey);
  }
}

/// Sort key of row r in the set; rows outside it get the largest key (skipped by walk_set).
SEGMINT_HD std::uint64_t set_key(SetKind k, const EventColumns& c, std::uint32_t r,
                                 std::int64_t tz) {
  if (!in_set(k, c, r)) return ~std::uint64_t{0};
  switch (k) {
    case SetKind::days:
      return ordered_key(local_day(c.time[r], tz));
    case SetKind::orders:
      return c.order[r];
    case SetKind::sessions:
      return c.session[r];
    default:
      return c.category[r] != kNoKey ? c.category[r] : c.item[r];
  }
}

/// Row accessors of the walks: position i of a user's range -> row of the event columns.
struct DirectRows {  ///< columns already in (user, time) order: the position is the row
  SEGMINT_HD std::uint32_t operator()(std::int64_t i) const {
    return static_cast<std::uint32_t>(i);
  }
};
struct PermutedRows {  ///< rows through a permutation
  const std::uint32_t* perm;
  SEGMINT_HD std::uint32_t operator()(std::int64_t i) const { return perm[i]; }
};
/// Row at position i of an accessor, or of a plain array of rows.
template <class Rows>
SEGMINT_HD std::uint32_t row_at(const Rows& rows, std::int64_t i) {
  return rows(i);
}
template <class T>
SEGMINT_HD std::uint32_t row_at(T* const& rows, std::int64_t i) {
  return rows[i];
}

}  // namespace segmint::detail
