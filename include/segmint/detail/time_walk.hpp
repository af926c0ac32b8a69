// The time-ordered part of a user's aggregate as a segmented reduction: gap sessions (events
// without a session id, broken by a pause longer than the session gap), active days (local days
// are monotone in time, so distinct days are day changes + 1) and carts after the last purchase.
// A partial covers a contiguous range of the user's events in time order; partials of adjacent
// ranges combine exactly (integers only), so one thread, a warp or a block of threads over
// chunks of a heavy user's events give the same fields.
#pragma once
#include <cstdint>

#include "segmint/detail/feature_math.hpp"
#include "segmint/detail/walk_columns.hpp"

namespace segmint::detail {

/// The time-ordered fields of a contiguous range of one user's events.
struct TimePartial {
  std::uint64_t gap_events;          ///< activity events without a session id
  std::int64_t gap_first, gap_last;  ///< their first and last time
  std::uint64_t gap_breaks;          ///< pauses longer than the gap between two of them
  std::int64_t gap_seconds;          ///< sum of the pauses not longer than the gap
  std::uint64_t day_events;          ///< activity events
  std::int64_t day_first, day_last;  ///< local day of the first and last of them
  std::uint64_t day_changes;         ///< consecutive activity events on different local days
  std::uint64_t open_carts;          ///< carts later than `last_purchase`
};

/// The partial of rows(begin) .. rows(end - 1), a range of one user's events in time order.
/// last_purchase: the user's latest purchase over all of its events (EventCounters).
template <class Rows>
SEGMINT_HD TimePartial time_partial(const EventColumns& c, Rows rows, std::int64_t begin,
                                    std::int64_t end, std::int64_t gap, std::int64_t tz,
                                    std::int64_t last_purchase) {
  TimePartial p{};
  for (std::int64_t i = begin; i < end; ++i) {
    const std::uint32_t r = row_at(rows, i);
    const std::int64_t t = c.time[r];
    const EventType ty = walk::type_of(c.type[r]);
    p.open_carts += ty == EventType::cart && t > last_purchase;
    if (ty == EventType::email_send) continue;  // not the user's own activity
    const std::int64_t day = local_day(t, tz);
    if (p.day_events++ == 0)
      p.day_first = day;
    else
      p.day_changes += day != p.day_last;
    p.day_last = day;
    if (c.session[r] != kNoKey) continue;
    if (p.gap_events++ == 0) {
      p.gap_first = t;
    } else if (t - p.gap_last <= gap) {
      p.gap_seconds += t - p.gap_last;
    } else {
      p.gap_breaks += 1;
    }
    p.gap_last = t;
  }
  return p;
}

/// The partial of a range followed by the adjacent later range.
SEGMINT_HD TimePartial combine_time(const TimePartial& a, const TimePartial& b, std::int64_t gap) {
  if (a.gap_events == 0 && a.day_events == 0) {
    TimePartial p = b;
    p.open_carts += a.open_carts;
    return p;
  }
  TimePartial p = a;
  p.open_carts += b.open_carts;
  if (b.gap_events > 0) {
    if (a.gap_events == 0) {
      p.gap_first = b.gap_first;
      p.gap_breaks = b.gap_breaks;
      p.gap_seconds = b.gap_seconds;
    } else {
      const std::int64_t pause = b.gap_first - a.gap_last;
      p.gap_breaks += b.gap_breaks + (pause > gap);
      p.gap_seconds += b.gap_seconds + (pause <= gap ? pause : 0);
    }
    p.gap_events += b.gap_events;
    p.gap_last = b.gap_last;
  }
  if (b.day_events > 0) {
    if (a.day_events == 0) {
      p.day_first = b.day_first;
      p.day_changes = b.day_changes;
    } else {
      p.day_changes += b.day_changes + (b.day_first != a.day_last);
    }
    p.day_events += b.day_events;
    p.day_last = b.day_last;
  }
  return p;
}

/// Adds a whole user's partial to its summary: gap sessions and their seconds, open carts.
SEGMINT_HD void finish_time(const TimePartial& p, UserSummary& s) {
  if (p.gap_events > 0) {
    s.sessions += p.gap_breaks + 1;
    s.session_seconds = add_saturating(s.session_seconds, p.gap_seconds);
  }
  s.open_carts = p.open_carts;
}

/// Adds a whole user's active days (what the days set walk adds, without sorting by day).
SEGMINT_HD void finish_days(const TimePartial& p, UserSummary& s) {
  s.active_days += p.day_events > 0 ? p.day_changes + 1 : 0;
}

}  // namespace segmint::detail
