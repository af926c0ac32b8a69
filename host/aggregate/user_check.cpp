// check_user: whether a UserAgg read from a file is one that folding and merging can produce.
#include <algorithm>

#include "aggregate/user_agg.hpp"

namespace segmint::agg {
namespace {

using detail::kNoLastTime;
using detail::kNoTime;

bool time_ok(std::int64_t t) { return valid_event_time(t); }
bool first_ok(std::int64_t t) { return t == kNoTime || time_ok(t); }
bool last_ok(std::int64_t t) { return t == kNoLastTime || time_ok(t); }
bool count_ok(std::uint64_t c) { return c <= kMaxSavedCount; }

template <class T, class Key>
bool strictly_increasing(Span<const T> v, Key key) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (!(key(v[i - 1]) < key(v[i]))) return false;
  }
  return true;
}

const char* check_counts(const UserAgg& u) {
  std::uint64_t events = 0;
  for (std::uint64_t c : u.by_type) {
    if (!count_ok(c)) return "event count out of range";
    events += c;
  }
  const std::uint64_t sends = u.by_type[static_cast<int>(EventType::email_send)];
  if (u.activity != events - sends) return "activity count disagrees with the event counts";
  std::uint64_t parts = 0;
  for (std::uint64_t c : u.day_part) parts += c;
  if (parts != u.activity || u.weekend > u.activity) return "day-part counts disagree";
  if (u.loose_purchases > u.by_type[static_cast<int>(EventType::purchase)]) {
    return "more loose purchases than purchases";
  }
  if (u.money_purchase_micro < -detail::kMoneySaturated || u.money_cancel_micro < 0) {
    return "money sum out of range";
  }
  if (events == 0) {
    const bool empty = u.first_event == kNoTime && u.last_event == kNoLastTime &&
                       u.last_purchase == kNoLastTime && u.money_purchase_micro == 0 &&
                       u.money_cancel_micro == 0 && u.orders().empty() && u.days().empty() &&
                       u.sessions().empty() && u.gaps().empty() && u.categories().empty() &&
                       u.open_carts().empty();
    return empty ? nullptr : "a user without events has event data";
  }
  return nullptr;
}

const char* check_times(const UserAgg& u) {
  if (!time_ok(u.first_event) || !time_ok(u.last_event) || u.first_event > u.last_event) {
    return "first/last event time out of range";
  }
  if (!last_ok(u.last_purchase) || u.last_purchase > u.last_event) return "last purchase time out of range";
  if ((u.loose_purchases == 0) != (u.loose_first == kNoTime && u.loose_last == kNoLastTime)) {
    return "loose purchase times disagree with their count";
  }
  if (u.loose_purchases > 0 && (!time_ok(u.loose_first) || !time_ok(u.loose_last) ||
                                u.loose_first > u.loose_last)) {
    return "loose purchase time out of range";
  }
  return nullptr;
}

const char* check_sets(const UserAgg& u, std::int64_t session_gap) {
  if (!strictly_increasing(u.orders(), [](const OrderEntry& o) { return o.key; })) {
    return "orders not canonical";
  }
  for (const auto& o : u.orders()) {
    if (!first_ok(o.first_purchase) || o.flags == 0 || o.flags > 3) return "bad order entry";
  }
  if (!strictly_increasing(u.days(), [](std::int32_t d) { return d; })) return "days not canonical";
  const std::int64_t day_lo = kMinEventTime / 86400 - 2, day_hi = kMaxEventTime / 86400 + 2;
  for (std::int32_t d : u.days()) {
    if (d < day_lo || d > day_hi) return "active day out of range";
  }
  if (!strictly_increasing(u.sessions(), [](const SessionEntry& s) { return s.key; })) {
    return "sessions not canonical";
  }
  for (const auto& s : u.sessions()) {
    if (!time_ok(s.start) || !time_ok(s.end) || s.start > s.end || s.events == 0 ||
        !count_ok(s.events) || !first_ok(s.first_purchase)) {
      return "bad session entry";
    }
  }
  for (std::size_t i = 0; i < u.gaps().size(); ++i) {
    const Interval& g = u.gaps()[i];
    if (!time_ok(g.start) || !time_ok(g.end) || g.start > g.end || g.events == 0 ||
        !count_ok(g.events) || (i > 0 && g.start - u.gaps()[i - 1].end <= session_gap)) {
      return "bad gap session";
    }
  }
  if (!strictly_increasing(u.categories(), [](const CategoryEntry& c) { return c.key; })) {
    return "categories not canonical";
  }
  for (const auto& c : u.categories()) {
    if (c.count == 0 || !count_ok(c.count)) return "bad category count";
  }
  if (!std::is_sorted(u.open_carts().begin(), u.open_carts().end())) return "open carts not sorted";
  for (std::int64_t t : u.open_carts()) {
    if (!time_ok(t) || t <= u.last_purchase) return "bad open cart time";
  }
  return nullptr;
}

}  // namespace

const char* check_user(const UserAgg& u, std::int64_t session_gap) {
  if (const char* e = check_counts(u)) return e;
  std::uint64_t events = 0;
  for (std::uint64_t c : u.by_type) events += c;
  if (events == 0) return nullptr;  // check_counts saw that it is empty
  if (const char* e = check_times(u)) return e;
  return check_sets(u, session_gap);
}

}  // namespace segmint::agg
