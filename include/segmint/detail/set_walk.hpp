// The set part of a user's aggregate: the user's rows sorted by a set key (orders, session ids,
// categories; active days too, though the device takes them from the time walk), where each run
// of equal keys is one distinct order, session or category. Written as run primitives (open,
// extend, join, close) used by
//  - walk_set: one thread walks a user's whole range;
//  - SetPartial / combine_set: chunks of a heavy user's range walked by many threads, adjacent
//    partials combined exactly (runs cut by a chunk border are joined) for orders and sessions;
//  - category_runs_*: categories of a heavy user from its run starts, the entropy summed by one
//    thread in ascending key order, so the floating-point sum is the CPU's.
#pragma once
#include <cstdint>

#include "segmint/detail/feature_math.hpp"
#include "segmint/detail/walk_columns.hpp"

namespace segmint::detail {

/// One run of equal set keys among the in-set rows of a user.
struct RunState {
  std::uint64_t key, count;  ///< count: in-set rows
  std::int64_t start, stop;  ///< first and last event time
  std::int64_t first;        ///< first purchase that makes the run an order (kNoTime: none)
  bool purchase, cancelled;
};

/// What closed runs add to a summary.
struct SetSums {
  std::uint64_t runs;    ///< active days, sessions or distinct categories
  std::uint64_t orders;  ///< orders counted by orders and sessions
  std::int64_t first_order, last_order;
  std::int64_t session_seconds;
  std::uint64_t total;  ///< categories: in-set events
  double entropy_sum;   ///< categories: sum of c ln c in closing order
};

SEGMINT_HD SetSums empty_sums() {
  SetSums s{};
  s.first_order = kNoTime;
  s.last_order = kNoLastTime;
  return s;
}

SEGMINT_HD RunState open_run(std::uint64_t key) {
  RunState r{};
  r.key = key;
  r.start = r.first = kNoTime;
  r.stop = kNoLastTime;
  return r;
}

/// Adds in-set row `row` to its run.
SEGMINT_HD void extend_run(SetKind k, RunState& run, const EventColumns& c, std::uint32_t row) {
  const std::int64_t t = c.time[row];
  const EventType ty = walk::type_of(c.type[row]);
  run.count += 1;
  run.start = walk::lo(run.start, t);
  run.stop = walk::hi(run.stop, t);
  run.purchase = run.purchase || ty == EventType::purchase;
  run.cancelled = run.cancelled || ty == EventType::cancel;
  // Orders: time of the order's first purchase; sessions: first purchase without an order.
  const bool counts = k == SetKind::orders ? ty == EventType::purchase
                                           : (ty == EventType::purchase && c.order[row] == kNoKey);
  if (counts) run.first = walk::lo(run.first, t);
}

/// a := the run of a's rows and b's rows (same key).
SEGMINT_HD void join_runs(RunState& a, const RunState& b) {
  a.count += b.count;
  a.start = walk::lo(a.start, b.start);
  a.stop = walk::hi(a.stop, b.stop);
  a.first = walk::lo(a.first, b.first);
  a.purchase = a.purchase || b.purchase;
  a.cancelled = a.cancelled || b.cancelled;
}

SEGMINT_HD void add_order(SetSums& s, std::int64_t t) {
  s.orders += 1;
  s.first_order = walk::lo(s.first_order, t);
  s.last_order = walk::hi(s.last_order, t);
}

/// Adds a finished run to the sums.
SEGMINT_HD void close_run(SetKind k, const RunState& run, SetSums& s) {
  s.runs += 1;
  if (k == SetKind::orders && run.purchase && !run.cancelled) add_order(s, run.first);
  if (k == SetKind::sessions) {
    s.session_seconds = add_saturating(s.session_seconds, run.stop - run.start);
    if (run.first != kNoTime) add_order(s, run.first);
  }
  if (k == SetKind::categories) {
    s.total += run.count;
    s.entropy_sum += entropy_term(run.count);
  }
}

/// a := a + b for the integer fields (the entropy sum is added too, which is exact only when
/// one of them is empty: categories combine through category_runs_* instead).
SEGMINT_HD void add_sums(SetSums& a, const SetSums& b) {
  a.runs += b.runs;
  a.orders += b.orders;
  a.first_order = walk::lo(a.first_order, b.first_order);
  a.last_order = walk::hi(a.last_order, b.last_order);
  a.session_seconds = add_saturating(a.session_seconds, b.session_seconds);
  a.total += b.total;
  a.entropy_sum += b.entropy_sum;
}

/// Adds one set's sums of a whole user to its summary.
SEGMINT_HD void apply_sums(SetKind k, const SetSums& sums, UserSummary& s) {
  s.orders += sums.orders;
  s.first_order = walk::lo(s.first_order, sums.first_order);
  s.last_order = walk::hi(s.last_order, sums.last_order);
  switch (k) {
    case SetKind::days:
      s.active_days += sums.runs;
      break;
    case SetKind::sessions:
      s.sessions += sums.runs;
      s.session_seconds = add_saturating(s.session_seconds, sums.session_seconds);
      break;
    case SetKind::categories:
      s.distinct_categories += sums.runs;
      s.category_entropy = category_entropy(sums.total, sums.entropy_sum);
      break;
    default:
      break;
  }
}

/// Adds one set's contribution to `s`; keys[begin, end) and rows[begin, end) (an array or an
/// accessor) = the user's rows sorted by the set key (rows outside the set are skipped).
template <class Rows>
SEGMINT_HD void walk_set(SetKind k, const EventColumns& c, const std::uint64_t* keys, Rows rows,
                         std::int64_t begin, std::int64_t end, UserSummary& s) {
  SetSums sums = empty_sums();
  RunState run{};
  bool open = false;
  for (std::int64_t i = begin; i < end; ++i) {
    const std::uint32_t r = row_at(rows, i);
    if (!in_set(k, c, r)) continue;
    if (open && keys[i] != run.key) {
      close_run(k, run, sums);
      open = false;
    }
    if (!open) {
      run = open_run(keys[i]);
      open = true;
    }
    extend_run(k, run, c, r);
  }
  if (open) close_run(k, run, sums);
  apply_sums(k, sums, s);
}

/// The runs of a contiguous chunk of a user's key-sorted range: the first and the last run
/// stay open (a neighbouring chunk may continue them), the ones between are closed into inner.
struct SetPartial {
  std::uint64_t runs;  ///< runs seen; first is valid when >= 1, last when >= 2
  RunState first, last;
  SetSums inner;
};

/// The partial of no rows (the identity of combine_set).
SEGMINT_HD SetPartial empty_set_partial() {
  SetPartial p{};
  p.inner = empty_sums();
  return p;
}

template <class Rows>
SEGMINT_HD SetPartial set_partial(SetKind k, const EventColumns& c, const std::uint64_t* keys,
                                  Rows rows, std::int64_t begin, std::int64_t end) {
  SetPartial p = empty_set_partial();
  RunState cur{};
  for (std::int64_t i = begin; i < end; ++i) {
    const std::uint32_t r = row_at(rows, i);
    if (!in_set(k, c, r)) continue;
    if (p.runs == 0 || keys[i] != cur.key) {
      if (p.runs == 1)
        p.first = cur;
      else if (p.runs > 1)
        close_run(k, cur, p.inner);
      cur = open_run(keys[i]);
      p.runs += 1;
    }
    extend_run(k, cur, c, r);
  }
  if (p.runs == 1)
    p.first = cur;
  else if (p.runs > 1)
    p.last = cur;
  return p;
}

/// The partial of chunk a followed by the adjacent chunk b (orders and sessions: exact).
SEGMINT_HD SetPartial combine_set(SetKind k, const SetPartial& a, const SetPartial& b) {
  if (a.runs == 0) return b;
  if (b.runs == 0) return a;
  SetPartial p{};
  p.inner = a.inner;
  add_sums(p.inner, b.inner);
  const RunState& a_tail = a.runs == 1 ? a.first : a.last;
  if (a_tail.key == b.first.key) {  // one run across the border
    RunState joined = a_tail;
    join_runs(joined, b.first);
    p.runs = a.runs + b.runs - 1;
    p.first = a.runs == 1 ? joined : a.first;
    if (b.runs == 1) {
      if (a.runs > 1) p.last = joined;
    } else {
      p.last = b.last;
      if (a.runs > 1) close_run(k, joined, p.inner);  // closed on both sides now
    }
    return p;
  }
  p.runs = a.runs + b.runs;
  p.first = a.first;
  p.last = b.runs == 1 ? b.first : b.last;
  if (a.runs > 1) close_run(k, a.last, p.inner);
  if (b.runs > 1) close_run(k, b.first, p.inner);
  return p;
}

/// The sums of a whole user's partial: its open runs closed.
SEGMINT_HD SetSums finish_set(SetKind k, const SetPartial& p) {
  SetSums s = p.inner;
  if (p.runs >= 1) close_run(k, p.first, s);
  if (p.runs >= 2) close_run(k, p.last, s);
  return s;
}

/// Whether sorted position i of a user's range [begin, ...) starts a group of equal keys.
SEGMINT_HD bool key_group_starts(const std::uint64_t* keys, std::int64_t begin, std::int64_t i) {
  return i == begin || keys[i] != keys[i - 1];
}

/// Categories of one user from its key groups: starts[0, groups) are the positions where a group
/// of equal keys starts in the key-sorted range ending at `end`. Every row of a group with a key
/// below ~0 is in the set (set_key gives ~0 to the others); `last_in_set` counts the in-set rows
/// of the group keyed ~0 (a real key can hash to it). Sums the entropy terms in key order.
SEGMINT_HD void category_runs_apply(const std::uint64_t* keys, const std::uint32_t* starts,
                                    std::uint64_t groups, std::int64_t end,
                                    std::uint64_t last_in_set, UserSummary& s) {
  SetSums sums = empty_sums();
  for (std::uint64_t g = 0; g < groups; ++g) {
    const std::int64_t a = starts[g];
    const std::int64_t b = g + 1 < groups ? static_cast<std::int64_t>(starts[g + 1]) : end;
    RunState run = open_run(keys[a]);
    run.count = keys[a] == ~std::uint64_t{0} ? last_in_set : static_cast<std::uint64_t>(b - a);
    if (run.count > 0) close_run(SetKind::categories, run, sums);
  }
  apply_sums(SetKind::categories, sums, s);
}

}  // namespace segmint::detail
