// The order-free part of a user's aggregate: counters, money, min/max times and loose purchases,
// folded event by event through an operation policy (plain on the CPU and in the device walks,
// integer atomics when the device folds each uploaded batch), so that the fields are written once.
#pragma once
#include <cmath>
#include <cstdint>

#include "segmint/detail/feature_math.hpp"
#include "segmint/events.hpp"

namespace segmint::detail {

/// What a user's events add up to in any order: sums, minima and maxima only, so that folding
/// batches in any split and order (or with atomics) gives the same integers.
struct EventCounters {
  std::uint64_t views, carts, purchases, cancels;                       // sum
  std::uint64_t email_sends, email_opens, email_clicks;                 // sum
  std::uint64_t activity, weekend, night, morning, afternoon, evening;  // sum
  std::uint64_t loose_orders;  ///< purchases with neither order nor session id (sum)
  std::int64_t money_purchase_micro, money_cancel_micro;  // sum (two's complement)
  std::int64_t first_event, loose_first;                  // min
  std::int64_t last_event, last_purchase, loose_last;     // max
};

/// Counters of a user without events (the time fields hold the "never" sentinels).
SEGMINT_HD EventCounters empty_counters() {
  EventCounters c{};
  c.first_event = c.loose_first = kNoTime;
  c.last_event = c.last_purchase = c.loose_last = kNoLastTime;
  return c;
}

/// The plain operations: what the CPU and the device walks use.
struct PlainOps {
  SEGMINT_HD void add(std::uint64_t& a, std::uint64_t v) const { a += v; }
  /// Money sums saturate (as the host aggregate's do): a huge total is never a wrapped one.
  SEGMINT_HD void add(std::int64_t& a, std::int64_t v) const { a = add_saturating(a, v); }
  SEGMINT_HD void low(std::int64_t& a, std::int64_t v) const { a = v < a ? v : a; }
  SEGMINT_HD void high(std::int64_t& a, std::int64_t v) const { a = v > a ? v : a; }
};

/// Folds one event into `c` through `ops` (PlainOps, or the device's atomic operations).
/// type_code is EventType's stable code; codes past the known types count as "other".
template <class Ops>
SEGMINT_HD void fold_event(EventCounters& c, std::int64_t t, std::uint8_t type_code, double amount,
                           std::uint64_t session, std::uint64_t order, std::int64_t tz,
                           const Ops& ops) {
  const EventType ty = static_cast<EventType>(type_code);
  if (ty == EventType::view) ops.add(c.views, 1);
  if (ty == EventType::cart) ops.add(c.carts, 1);
  if (ty == EventType::purchase) ops.add(c.purchases, 1);
  if (ty == EventType::cancel) ops.add(c.cancels, 1);
  if (ty == EventType::email_send) ops.add(c.email_sends, 1);
  if (ty == EventType::email_open) ops.add(c.email_opens, 1);
  if (ty == EventType::email_click) ops.add(c.email_clicks, 1);
  ops.low(c.first_event, t);
  ops.high(c.last_event, t);
  if (ty == EventType::purchase) {
    ops.add(c.money_purchase_micro, money_micro(amount));
    ops.high(c.last_purchase, t);
    if (order == kNoKey && session == kNoKey) {  // a loose purchase is an order of its own
      ops.add(c.loose_orders, 1);
      ops.low(c.loose_first, t);
      ops.high(c.loose_last, t);
    }
  } else if (ty == EventType::cancel) {
    ops.add(c.money_cancel_micro, money_micro(std::fabs(amount)));
  }
  if (ty == EventType::email_send) return;  // not the user's own activity
  ops.add(c.activity, 1);
  const int part = day_part(t, tz);
  if (part == 0) ops.add(c.night, 1);
  if (part == 1) ops.add(c.morning, 1);
  if (part == 2) ops.add(c.afternoon, 1);
  if (part == 3) ops.add(c.evening, 1);
  if (is_weekend(t, tz)) ops.add(c.weekend, 1);
}

/// a := a + b (b folded after a, or before: the result is the same).
SEGMINT_HD void merge_counters(EventCounters& a, const EventCounters& b) {
  const PlainOps ops;
  ops.add(a.views, b.views);
  ops.add(a.carts, b.carts);
  ops.add(a.purchases, b.purchases);
  ops.add(a.cancels, b.cancels);
  ops.add(a.email_sends, b.email_sends);
  ops.add(a.email_opens, b.email_opens);
  ops.add(a.email_clicks, b.email_clicks);
  ops.add(a.activity, b.activity);
  ops.add(a.weekend, b.weekend);
  ops.add(a.night, b.night);
  ops.add(a.morning, b.morning);
  ops.add(a.afternoon, b.afternoon);
  ops.add(a.evening, b.evening);
  ops.add(a.loose_orders, b.loose_orders);
  ops.add(a.money_purchase_micro, b.money_purchase_micro);
  ops.add(a.money_cancel_micro, b.money_cancel_micro);
  ops.low(a.first_event, b.first_event);
  ops.low(a.loose_first, b.loose_first);
  ops.high(a.last_event, b.last_event);
  ops.high(a.last_purchase, b.last_purchase);
  ops.high(a.loose_last, b.loose_last);
}

/// The summary as far as the counters go: every counter field, and the loose purchases as the
/// first orders; the walks add sessions, days, open carts, set orders and categories.
SEGMINT_HD UserSummary summary_from_counters(const EventCounters& c) {
  UserSummary s{};
  s.views = c.views;
  s.carts = c.carts;
  s.purchases = c.purchases;
  s.cancels = c.cancels;
  s.email_sends = c.email_sends;
  s.email_opens = c.email_opens;
  s.email_clicks = c.email_clicks;
  s.activity = c.activity;
  s.weekend = c.weekend;
  s.night = c.night;
  s.morning = c.morning;
  s.afternoon = c.afternoon;
  s.evening = c.evening;
  s.money_purchase_micro = c.money_purchase_micro;
  s.money_cancel_micro = c.money_cancel_micro;
  s.first_event = c.first_event;
  s.last_event = c.last_event;
  s.last_purchase = c.last_purchase;
  s.orders = c.loose_orders;
  s.first_order = c.loose_first;
  s.last_order = c.loose_last;
  return s;
}

}  // namespace segmint::detail
