// The per-user walks of the device aggregation, written __host__ __device__ so that the kernels
// run them on the GPU and the unit tests run the very same code on the CPU (with std::sort in
// place of the CUB sorts) against the CPU UserTable. A user's summary is put together from
//  - EventCounters (event_counters.hpp): counters, money, min/max times, loose purchases, in
//    any order (the device folds each uploaded batch with integer atomics);
//  - TimePartial (time_walk.hpp): gap sessions, active days and open carts over the user's
//    events in time order;
//  - set walks (set_walk.hpp): runs of equal keys in the user's rows sorted by a set key give
//    distinct orders, sessions with an id and categories (entropy in ascending key order).
// walk_scalar is the one-thread composition of the first two (every field but the sets').
#pragma once
#include <cstdint>

#include "segmint/detail/event_counters.hpp"
#include "segmint/detail/feature_math.hpp"
#include "segmint/detail/set_walk.hpp"
#include "segmint/detail/time_walk.hpp"
#include "segmint/detail/walk_columns.hpp"

namespace segmint::detail {

/// Fills every field of `s` except those walk_set adds (active days, set orders and sessions,
/// categories); rows[begin, end) (an array or an accessor) = the user's rows in time order.
template <class Rows>
SEGMINT_HD void walk_scalar(const EventColumns& c, Rows rows, std::int64_t begin, std::int64_t end,
                            std::int64_t gap, std::int64_t tz, UserSummary& s) {
  EventCounters counters = empty_counters();
  const PlainOps ops;
  for (std::int64_t i = begin; i < end; ++i) {
    const std::uint32_t r = row_at(rows, i);
    fold_event(counters, c.time[r], c.type[r], c.amount[r], c.session[r], c.order[r], tz, ops);
  }
  s = summary_from_counters(counters);
  finish_time(time_partial(c, rows, begin, end, gap, tz, counters.last_purchase), s);
}

}  // namespace segmint::detail
