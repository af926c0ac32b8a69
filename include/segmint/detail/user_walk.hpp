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

namespace segmint::gpu_batching {

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
inline constexpr std::uint8_t kView = 0, kCart = 1, kPurchase = 3, kCancel = 4, kSend = 5,
                              kOpen = 6, kClick = 7;
SEGMINT_HD std::int64_t lo(std::int64_t a, std::int64_t b) { return a < b ? a : b; }
SEGMINT_HD std::int64_t hi(std::int64_t a, std::int64_t b) { return a > b ? a : b; }
SEGMINT_HD void count_order(detail::UserSummary& s, std::int64_t t) {
  s.orders += 1;
  s.first_order = lo(s.first_order, t);
  s.last_order = hi(s.last_order, t);
}
}  // namespace walk

/// Signed order as unsigned order (radix sort keys).
SEGMINT_HD std::uint64_t ordered_key(std::int64_t v) {
  return static_cast<std::uint64_t>(v) ^ (std::uint64_t{1} << 63);
}

/// Fills every field of `s` except those walk_set adds; perm[begin, end) = the user's rows in
/// time order.
SEGMINT_HD void walk_scalar(const EventColumns& c, const std::uint32_t* perm, std::int64_t begin,
                            std::int64_t end, std::int64_t gap, std::int64_t tz,
                            detail::UserSummary& s) {
  using namespace walk;
  s = detail::UserSummary{};
  s.first_event = detail::kNoTime;
  s.last_event = detail::kNoLastTime;
  s.last_purchase = detail::kNoLastTime;
  s.first_order = detail::kNoTime;
  s.last_order = detail::kNoLastTime;
  bool in_gap = false;
  std::int64_t g_start = 0, g_end = 0;
  for (std::int64_t i = begin; i < end; ++i) {
    const std::uint32_t r = perm[i];
    const std::int64_t t = c.time[r];
    const std::uint8_t ty = c.type[r];
    s.views += ty == kView;
    s.carts += ty == kCart;
    s.purchases += ty == kPurchase;
    s.cancels += ty == kCancel;
    s.email_sends += ty == kSend;
    s.email_opens += ty == kOpen;
    s.email_clicks += ty == kClick;
    s.first_event = lo(s.first_event, t);
    s.last_event = hi(s.last_event, t);
    if (ty == kPurchase) {
      s.money_purchase_micro =
          detail::add_saturating(s.money_purchase_micro, detail::money_micro(c.amount[r]));
      s.last_purchase = hi(s.last_purchase, t);
      if (c.order[r] == kNoKey && c.session[r] == kNoKey) count_order(s, t);  // loose purchase
    } else if (ty == kCancel) {
      s.money_cancel_micro = detail::add_saturating(s.money_cancel_micro,
                                                    detail::money_micro(std::fabs(c.amount[r])));
    }
    if (ty == kSend) continue;  // not the user's own activity
    s.activity += 1;
    const int part = detail::day_part(t, tz);
    s.night += part == 0;
    s.morning += part == 1;
    s.afternoon += part == 2;
    s.evening += part == 3;
    s.weekend += detail::is_weekend(t, tz);
    if (c.session[r] != kNoKey) continue;
    // Events without a session id, in time order: a gap longer than `gap` starts a new session.
    if (in_gap && t - g_end <= gap) {
      g_end = t;
    } else {
      if (in_gap) {
        s.sessions += 1;
        s.session_seconds = detail::add_saturating(s.session_seconds, g_end - g_start);
      }
      in_gap = true;
      g_start = g_end = t;
    }
  }
  if (in_gap) {
    s.sessions += 1;
    s.session_seconds = detail::add_saturating(s.session_seconds, g_end - g_start);
  }
  for (std::int64_t i = begin; i < end; ++i) {  // carts not followed by any purchase
    const std::uint32_t r = perm[i];
    s.open_carts += c.type[r] == kCart && c.time[r] > s.last_purchase;
  }
}

/// Whether row r belongs to the set.
SEGMINT_HD bool in_set(SetKind k, const EventColumns& c, std::uint32_t r) {
  using namespace walk;
  const std::uint8_t ty = c.type[r];
  switch (k) {
    case SetKind::days: return ty != kSend;
    case SetKind::orders: return (ty == kPurchase || ty == kCancel) && c.order[r] != kNoKey;
    case SetKind::sessions: return ty != kSend && c.session[r] != kNoKey;
    default: return ty != kSend && (c.category[r] != kNoKey || c.item[r] != kNoKey);
  }
}

/// Sort key of row r in the set; rows outside it get the largest key (skipped by walk_set).
SEGMINT_HD std::uint64_t set_key(SetKind k, const EventColumns& c, std::uint32_t r,
                                 std::int64_t tz) {
  if (!in_set(k, c, r)) return ~std::uint64_t{0};
  switch (k) {
    case SetKind::days: return ordered_key(detail::local_day(c.time[r], tz));
    case SetKind::orders: return c.order[r];
    case SetKind::sessions: return c.session[r];
    default: return c.category[r] != kNoKey ? c.category[r] : c.item[r];
  }
}

/// Adds one set's contribution to `s`; keys/rows[begin, end) = the user's rows sorted by key.
SEGMINT_HD void walk_set(SetKind k, const EventColumns& c, const std::uint64_t* keys,
                         const std::uint32_t* rows, std::int64_t begin, std::int64_t end,
                         detail::UserSummary& s) {
  using namespace walk;
  double entropy_sum = 0.0;
  std::uint64_t total = 0, count = 0, key = 0;
  std::int64_t start = detail::kNoTime, stop = detail::kNoLastTime, first = detail::kNoTime;
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
          s.session_seconds = detail::add_saturating(s.session_seconds, stop - start);
          if (first != detail::kNoTime) count_order(s, first);
          break;
        default:
          s.distinct_categories += 1;
          entropy_sum += detail::entropy_term(count);
          break;
      }
      open = false;
    }
    if (done) break;
    if (!open) {
      open = true;
      key = keys[i];
      count = 0;
      start = first = detail::kNoTime;
      stop = detail::kNoLastTime;
      purchase = cancelled = false;
    }
    const std::int64_t t = c.time[r];
    const std::uint8_t ty = c.type[r];
    count += 1;
    total += 1;
    start = lo(start, t);
    stop = hi(stop, t);
    purchase = purchase || ty == kPurchase;
    cancelled = cancelled || ty == kCancel;
    // Orders: time of the order's first purchase; sessions: first purchase without an order.
    const bool counts = k == SetKind::orders ? ty == kPurchase
                                             : (ty == kPurchase && c.order[r] == kNoKey);
    if (counts) first = lo(first, t);
  }
  if (k == SetKind::categories) s.category_entropy = detail::category_entropy(total, entropy_sum);
}

}  // namespace segmint::gpu_batching
