// The per-user walks of the device aggregation, written __host__ __device__ so that the kernels
// run them on the GPU and the unit tests run the very same code on the CPU (with std::sort in
// place of the CUB sorts) against the CPU UserTable.
//  - walk_scalar: one user's events in time order -> counters, money, min/max times, day parts,
//    loose purchases, gap sessions (a gap <= session_gap continues the session, as the CPU
//    coalesces intervals), carts after the last purchase;
//  - walk_set: one user's events sorted by a set key (active days, orders, session ids,
//    categories) -> runs of equal keys give distinct counts, order/session first purchases and
//    category counts summed into the entropy in ascending key order (as the CPU).
#pragma once
#include <cmath>
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
    if (sorted[mid] < user) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/// Fills every field of `s` except those walk_set adds; perm[begin, end) = the user's rows in
/// time order.
SEGMINT_HD void walk_scalar(const EventColumns& c, const std::uint32_t* perm, std::int64_t begin,
                            std::int64_t end, std::int64_t gap, std::int64_t tz,
                            UserSummary& s) {
  using namespace walk;
  s = UserSummary{};
  s.first_event = kNoTime;
  s.last_event = kNoLastTime;
  s.last_purchase = kNoLastTime;
  s.first_order = kNoTime;
  s.last_order = kNoLastTime;
  bool in_gap = false;
  std::int64_t g_start = 0, g_end = 0;
  for (std::int64_t i = begin; i < end; ++i) {
    const std::uint32_t r = perm[i];
    const std::int64_t t = c.time[r];
    const EventType ty = type_of(c.type[r]);
    s.views += ty == EventType::view;
    s.carts += ty == EventType::cart;
    s.purchases += ty == EventType::purchase;
    s.cancels += ty == EventType::cancel;
    s.email_sends += ty == EventType::email_send;
    s.email_opens += ty == EventType::email_open;
    s.email_clicks += ty == EventType::email_click;
    s.first_event = lo(s.first_event, t);
    s.last_event = hi(s.last_event, t);
    if (ty == EventType::purchase) {
      s.money_purchase_micro += money_micro(c.amount[r]);
      s.last_purchase = hi(s.last_purchase, t);
      if (c.order[r] == kNoKey && c.session[r] == kNoKey) count_order(s, t);  // loose purchase
    } else if (ty == EventType::cancel) {
      s.money_cancel_micro += money_micro(std::fabs(c.amount[r]));
    }
    if (ty == EventType::email_send) continue;  // not the user's own activity
    s.activity += 1;
    const int part = day_part(t, tz);
    s.night += part == 0;
    s.morning += part == 1;
    s.afternoon += part == 2;
    s.evening += part == 3;
    s.weekend += is_weekend(t, tz);
    if (c.session[r] != kNoKey) continue;
    // Events without a session id, in time order: a gap longer than `gap` starts a new session.
    if (in_gap && t - g_end <= gap) {
      g_end = t;
    } else {
      if (in_gap) {
        s.sessions += 1;
        s.session_seconds += g_end - g_start;
      }
      in_gap = true;
      g_start = g_end = t;
    }
  }
  if (in_gap) {
    s.sessions += 1;
    s.session_seconds += g_end - g_start;
  }
  for (std::int64_t i = begin; i < end; ++i) {  // carts not followed by any purchase
    const std::uint32_t r = perm[i];
    s.open_carts += type_of(c.type[r]) == EventType::cart && c.time[r] > s.last_purchase;
  }
}

/// Whether row r belongs to the set.
SEGMINT_HD bool in_set(SetKind k, const EventColumns& c, std::uint32_t r) {
  using namespace walk;
  const EventType ty = type_of(c.type[r]);
  switch (k) {
    case SetKind::days: return ty != EventType::email_send;
    case SetKind::orders: return (ty == EventType::purchase || ty == EventType::cancel) && c.order[r] != kNoKey;
    case SetKind::sessions: return ty != EventType::email_send && c.session[r] != kNoKey;
    default: return ty != EventType::email_send && (c.category[r] != kNoKey || c.item[r] != kNoKey);
  }
}

/// Sort key of row r in the set; rows outside it get the largest key (skipped by walk_set).
SEGMINT_HD std::uint64_t set_key(SetKind k, const EventColumns& c, std::uint32_t r,
                                 std::int64_t tz) {
  if (!in_set(k, c, r)) return ~std::uint64_t{0};
  switch (k) {
    case SetKind::days: return ordered_key(local_day(c.time[r], tz));
    case SetKind::orders: return c.order[r];
    case SetKind::sessions: return c.session[r];
    default: return c.category[r] != kNoKey ? c.category[r] : c.item[r];
  }
}

/// Adds one set's contribution to `s`; keys/rows[begin, end) = the user's rows sorted by key.
SEGMINT_HD void walk_set(SetKind k, const EventColumns& c, const std::uint64_t* keys,
                         const std::uint32_t* rows, std::int64_t begin, std::int64_t end,
                         UserSummary& s) {
  using namespace walk;
  double entropy_sum = 0.0;
  std::uint64_t total = 0, count = 0, key = 0;
  std::int64_t start = kNoTime, stop = kNoLastTime, first = kNoTime;
  bool open = false, purchase = false, cancelled = false;
  for (std::int64_t i = begin; i <= end; ++i) {
    const bool done = i == end;
    const std::uint32_t r = done ? 0u : rows[i];
    if (!done && !in_set(k, c, r)) continue;
    if (open && (done || keys[i] != key)) {  // close the run
      switch (k) {
        case SetKind::days: s.active_days += 1; break;
        case SetKind::orders:
          if (purchase && !cancelled) count_order(s, first);
          break;
        case SetKind::sessions:
          s.sessions += 1;
          s.session_seconds += stop - start;
          if (first != kNoTime) count_order(s, first);
          break;
        default:
          s.distinct_categories += 1;
          entropy_sum += entropy_term(count);
          break;
      }
      open = false;
    }
    if (done) break;
    if (!open) {
      open = true;
      key = keys[i];
      count = 0;
      start = first = kNoTime;
      stop = kNoLastTime;
      purchase = cancelled = false;
    }
    const std::int64_t t = c.time[r];
    const EventType ty = type_of(c.type[r]);
    count += 1;
    total += 1;
    start = lo(start, t);
    stop = hi(stop, t);
    purchase = purchase || ty == EventType::purchase;
    cancelled = cancelled || ty == EventType::cancel;
    // Orders: time of the order's first purchase; sessions: first purchase without an order.
    const bool counts = k == SetKind::orders ? ty == EventType::purchase
                                             : (ty == EventType::purchase && c.order[r] == kNoKey);
    if (counts) first = lo(first, t);
  }
  if (k == SetKind::categories) s.category_entropy = category_entropy(total, entropy_sum);
}

}  // namespace segmint::detail
