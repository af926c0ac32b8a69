// UserAgg: folding one user's events into the exact aggregate, and merging two aggregates.
#include "aggregate/user_agg.hpp"

#include <algorithm>
#include <cmath>

namespace segmint::agg {
namespace {

using detail::kNoLastTime;
using detail::kNoTime;

// Canonical form of each set: sorted by key, equal keys combined. v[0, mid) is already
// canonical; the tail [mid, end) holds new entries in any order. Sorting only the tail and merging
// keeps folding a few events into a long history cheap.
template <class T, class Less, class Same, class Combine>
void canonicalize(std::vector<T>& v, std::size_t mid, Less less, Same same, Combine combine) {
  const auto tail = v.begin() + static_cast<std::ptrdiff_t>(mid);
  std::sort(tail, v.end(), less);
  if (mid > 0 && tail != v.end()) {
    if (v.end() - tail <= 8) {  // a few new entries: insert each (no temporary buffer)
      for (auto it = tail; it != v.end(); ++it) {
        std::rotate(std::upper_bound(v.begin(), it, *it, less), it, it + 1);
      }
    } else {
      std::inplace_merge(v.begin(), tail, v.end(), less);
    }
  }
  std::size_t w = 0;
  for (std::size_t r = 0; r < v.size(); ++r) {
    if (w > 0 && same(v[w - 1], v[r])) {
      combine(v[w - 1], v[r]);
    } else if (w != r) {
      v[w++] = v[r];
    } else {
      ++w;
    }
  }
  v.resize(w);
}

void canon_orders(std::vector<OrderEntry>& v, std::size_t mid) {
  canonicalize(
      v, mid, [](const OrderEntry& a, const OrderEntry& b) { return a.key < b.key; },
      [](const OrderEntry& a, const OrderEntry& b) { return a.key == b.key; },
      [](OrderEntry& a, const OrderEntry& b) {
        a.first_purchase = std::min(a.first_purchase, b.first_purchase);
        a.flags |= b.flags;
      });
}

void canon_days(std::vector<std::int32_t>& v, std::size_t mid) {
  canonicalize(
      v, mid, [](std::int32_t a, std::int32_t b) { return a < b; },
      [](std::int32_t a, std::int32_t b) { return a == b; }, [](std::int32_t&, std::int32_t) {});
}

// Two entries of one session are one entry (commutative and associative).
void combine_sessions(SessionEntry& a, const SessionEntry& b) {
  a.start = std::min(a.start, b.start);
  a.end = std::max(a.end, b.end);
  a.events += b.events;
  a.first_purchase = std::min(a.first_purchase, b.first_purchase);
}

void canon_sessions(std::vector<SessionEntry>& v, std::size_t mid) {
  canonicalize(
      v, mid, [](const SessionEntry& a, const SessionEntry& b) { return a.key < b.key; },
      [](const SessionEntry& a, const SessionEntry& b) { return a.key == b.key; },
      combine_sessions);
}

// Gap sessions: sorted by start; an interval starting within `gap` seconds of the running end
// (inclusive: a gap of exactly session_gap continues the session) joins it.
void canon_gaps(std::vector<Interval>& v, std::size_t mid, std::int64_t gap) {
  canonicalize(
      v, mid, [](const Interval& a, const Interval& b) { return a.start < b.start; },
      [gap](const Interval& a, const Interval& b) { return b.start - a.end <= gap; },
      [](Interval& a, const Interval& b) {
        a.end = std::max(a.end, b.end);
        a.events += b.events;
      });
}

void canon_categories(std::vector<CategoryEntry>& v, std::size_t mid) {
  canonicalize(
      v, mid, [](const CategoryEntry& a, const CategoryEntry& b) { return a.key < b.key; },
      [](const CategoryEntry& a, const CategoryEntry& b) { return a.key == b.key; },
      [](CategoryEntry& a, const CategoryEntry& b) { a.count += b.count; });
}

void drop_followed_carts(std::vector<std::int64_t>& carts, std::int64_t last_purchase) {
  // Sorted: the carts at or before the last purchase form a prefix.
  auto it = std::upper_bound(carts.begin(), carts.end(), last_purchase);
  carts.erase(carts.begin(), it);
}

// Open carts keep duplicates (two carts in the same second are two carts).
void canon_carts(std::vector<std::int64_t>& v, std::size_t mid, std::int64_t last_purchase) {
  canonicalize(
      v, mid, [](std::int64_t a, std::int64_t b) { return a < b; },
      [](std::int64_t, std::int64_t) { return false; }, [](std::int64_t&, std::int64_t) {});
  drop_followed_carts(v, last_purchase);
}

// One thread's scratch for one set: the folded events' entries (`fresh`) and the set they merge
// into (`merged`). Entries are canonicalised here (one sort and combine per batch) and the user's
// sets are rewritten once, at exactly their new lengths (UserSets::assign). Pushing every event
// into the user's sets directly left their capacity at the batch's event count (~5 KB per user at
// ~90 events, issue 15).
template <class T>
struct Scratch {
  std::vector<T> fresh, merged;
};

// Where each category already in `fresh` sits, so that a user's events add to one entry per
// category and the batch's sort sees distinct keys (a user's categories interleave: sorting an
// entry per run was ~10% of a store run). Open addressing; a slot belongs to the current user
// when its stamp is the table's (clearing is one increment). Past half full, keys already in
// the table still count into their entry and new ones are appended: canonicalising combines
// what the table did not (the same canonical set either way).
class CategoryIndex {
 public:
  void clear() {
    if (++stamp_ == 0) {  // wrapped: forget every slot for real
      for (Slot& s : slots_) s.stamp = 0;
      stamp_ = 1;
    }
    used_ = 0;
  }
  // Counts one event of `key` into `fresh`.
  void add(std::uint64_t key, std::vector<CategoryEntry>& fresh) {
    if (!fresh.empty() && fresh.back().key == key) {  // the common case: a run
      fresh.back().count += 1;
      return;
    }
    // Ends at a free slot: at most half the slots carry the current stamp.
    for (std::uint32_t h = static_cast<std::uint32_t>((key * 0x9E3779B97F4A7C15ull) >> 56);;
         h = (h + 1) & (kSlots - 1)) {
      Slot& s = slots_[h];
      if (s.stamp != stamp_) {
        if (used_ < kSlots / 2) {
          s = Slot{key, static_cast<std::uint32_t>(fresh.size()), stamp_};
          ++used_;
        }
        break;
      }
      if (s.key == key) {
        fresh[s.at].count += 1;
        return;
      }
    }
    fresh.push_back({key, 1});
  }

 private:
  static constexpr std::uint32_t kSlots = 256;  // the hash's top 8 bits
  struct Slot {
    std::uint64_t key;
    std::uint32_t at, stamp;
  };
  Slot slots_[kSlots] = {};
  std::uint32_t stamp_ = 1, used_ = 0;
};

struct FoldScratch {
  Scratch<OrderEntry> orders;
  Scratch<std::int32_t> days;
  Scratch<SessionEntry> sessions;
  Scratch<Interval> gaps;
  Scratch<CategoryEntry> categories;
  Scratch<std::int64_t> open_carts;
  CategoryIndex category_index;
  void clear() {
    orders.fresh.clear();
    days.fresh.clear();
    sessions.fresh.clear();
    gaps.fresh.clear();
    categories.fresh.clear();
    open_carts.fresh.clear();
    category_index.clear();
  }
};

FoldScratch& thread_scratch() {
  thread_local FoldScratch scratch;  // this thread's, reused for every user
  return scratch;
}

// out := canon(set + add), `add` canonical: the same entries as canonicalising the union at once
// (the property merge_into relies on); returns a view of `out`.
template <class T, class Canon>
Span<const T> merge_sets(Span<const T> set, Span<const T> add, std::vector<T>& out, Canon canon) {
  out.assign(set.begin(), set.end());
  out.insert(out.end(), add.begin(), add.end());
  canon(out, set.size());
  return out;
}

// The set with this batch's entries folded in (the set itself when there are none).
template <class T, class Canon>
Span<const T> absorb(Span<const T> set, Scratch<T>& s, Canon canon) {
  if (s.fresh.empty()) return set;
  canon(s.fresh, 0);
  return merge_sets(set, Span<const T>(s.fresh), s.merged, canon);
}

// The carts of `carts` later than `last_purchase` (a suffix: they are sorted).
Span<const std::int64_t> open_after(Span<const std::int64_t> carts, std::int64_t last_purchase) {
  const std::int64_t* it = std::upper_bound(carts.begin(), carts.end(), last_purchase);
  return {it, static_cast<std::size_t>(carts.end() - it)};
}

}  // namespace

std::int64_t to_micro(double amount) { return detail::money_micro(amount); }

void merge_into(UserAgg& a, const UserAgg& b, std::int64_t session_gap) {
  if (b.empty()) return;
  if (a.empty()) {
    a = b;
    return;
  }
  for (int t = 0; t < kEventTypeCount; ++t) a.by_type[t] += b.by_type[t];
  a.activity += b.activity;
  a.weekend += b.weekend;
  for (int p = 0; p < 4; ++p) a.day_part[p] += b.day_part[p];
  a.money_purchase_micro = detail::add_saturating(a.money_purchase_micro, b.money_purchase_micro);
  a.money_cancel_micro = detail::add_saturating(a.money_cancel_micro, b.money_cancel_micro);
  a.first_event = std::min(a.first_event, b.first_event);
  a.last_event = std::max(a.last_event, b.last_event);
  a.last_purchase = std::max(a.last_purchase, b.last_purchase);
  a.loose_purchases += b.loose_purchases;
  a.loose_first = std::min(a.loose_first, b.loose_first);
  a.loose_last = std::max(a.loose_last, b.loose_last);
  FoldScratch& s = thread_scratch();
  const std::int64_t last_purchase = a.last_purchase;
  SetsView v;
  v.orders = merge_sets(a.orders(), b.orders(), s.orders.merged, canon_orders);
  v.days = merge_sets(a.days(), b.days(), s.days.merged, canon_days);
  v.sessions = merge_sets(a.sessions(), b.sessions(), s.sessions.merged, canon_sessions);
  v.gaps = merge_sets(a.gaps(), b.gaps(), s.gaps.merged,
                      [session_gap](auto& g, std::size_t mid) { canon_gaps(g, mid, session_gap); });
  v.categories = merge_sets(a.categories(), b.categories(), s.categories.merged, canon_categories);
  v.open_carts =
      merge_sets(a.open_carts(), b.open_carts(), s.open_carts.merged,
                 [last_purchase](auto& c, std::size_t mid) { canon_carts(c, mid, last_purchase); });
  a.sets.assign(v);
}

void fold_rows(const PackedEvent* ev, std::size_t n, const AggregateOptions& options,
               UserAgg& out) {
  const std::int64_t tz = static_cast<std::int64_t>(options.tz_offset_minutes) * 60;
  FoldScratch& scratch = thread_scratch();
  scratch.clear();
  for (std::size_t k = 0; k < n; ++k) {
    const PackedEvent& e = ev[k];
    const std::int64_t t = e.time;
    const EventType type = e.type;
    const int ti = static_cast<int>(type) < kEventTypeCount ? static_cast<int>(type)
                                                            : static_cast<int>(EventType::other);
    out.by_type[ti] += 1;
    out.first_event = std::min(out.first_event, t);
    out.last_event = std::max(out.last_event, t);
    const std::uint64_t order = e.order, session = e.session;
    const bool purchase = type == EventType::purchase, cancel = type == EventType::cancel;
    if (purchase) {
      out.money_purchase_micro =
          detail::add_saturating(out.money_purchase_micro, to_micro(e.amount));
      out.last_purchase = std::max(out.last_purchase, t);
    } else if (cancel) {
      out.money_cancel_micro =
          detail::add_saturating(out.money_cancel_micro, to_micro(std::fabs(e.amount)));
    }
    if ((purchase || cancel) && order != kNoKey) {
      scratch.orders.fresh.push_back(
          {order, purchase ? t : kNoTime, purchase ? kOrderHasPurchase : kOrderCancelled});
    }
    if (purchase && order == kNoKey && session == kNoKey) {
      out.loose_purchases += 1;
      out.loose_first = std::min(out.loose_first, t);
      out.loose_last = std::max(out.loose_last, t);
    }
    if (type == EventType::cart) scratch.open_carts.fresh.push_back(t);
    if (type == EventType::email_send) continue;  // not the user's own activity

    out.activity += 1;
    out.day_part[detail::day_part(t, tz)] += 1;
    if (detail::is_weekend(t, tz)) out.weekend += 1;
    // A user's events mostly come in runs of one day, session and category: an entry equal
    // in key to the previous one is combined into it here (exactly what canonicalising does),
    // so the sorts below see a few entries per run instead of one per event (categories: one
    // per distinct key, CategoryIndex).
    auto& days = scratch.days.fresh;
    const auto day = static_cast<std::int32_t>(detail::local_day(t, tz));
    if (days.empty() || days.back() != day) days.push_back(day);
    const bool keyless_purchase = purchase && order == kNoKey;
    if (session != kNoKey) {
      auto& sessions = scratch.sessions.fresh;
      const SessionEntry entry{session, t, t, 1, keyless_purchase ? t : kNoTime};
      if (!sessions.empty() && sessions.back().key == session) {
        combine_sessions(sessions.back(), entry);
      } else {
        sessions.push_back(entry);
      }
    } else {
      scratch.gaps.fresh.push_back({t, t, 1});
    }
    if (e.category != kNoKey) scratch.category_index.add(e.category, scratch.categories.fresh);
  }
  const std::int64_t gap = options.session_gap_seconds;
  const std::int64_t last_purchase = out.last_purchase;  // final for this batch
  SetsView v;
  v.orders = absorb(out.orders(), scratch.orders, canon_orders);
  v.days = absorb(out.days(), scratch.days, canon_days);
  v.sessions = absorb(out.sessions(), scratch.sessions, canon_sessions);
  v.gaps = absorb(out.gaps(), scratch.gaps,
                  [gap](auto& g, std::size_t mid) { canon_gaps(g, mid, gap); });
  v.categories = absorb(out.categories(), scratch.categories, canon_categories);
  v.open_carts =
      absorb(out.open_carts(), scratch.open_carts,
             [last_purchase](auto& c, std::size_t mid) { canon_carts(c, mid, last_purchase); });
  // A purchase in this batch also closes carts of earlier batches (no new cart needed).
  v.open_carts = open_after(v.open_carts, last_purchase);
  out.sets.assign(v);
}

detail::UserSummary summarize(const UserAgg& u) {
  detail::UserSummary s{};
  s.views = u.by_type[static_cast<int>(EventType::view)];
  s.carts = u.by_type[static_cast<int>(EventType::cart)];
  s.purchases = u.by_type[static_cast<int>(EventType::purchase)];
  s.cancels = u.by_type[static_cast<int>(EventType::cancel)];
  s.email_sends = u.by_type[static_cast<int>(EventType::email_send)];
  s.email_opens = u.by_type[static_cast<int>(EventType::email_open)];
  s.email_clicks = u.by_type[static_cast<int>(EventType::email_click)];
  s.activity = u.activity;
  s.weekend = u.weekend;
  s.night = u.day_part[0];
  s.morning = u.day_part[1];
  s.afternoon = u.day_part[2];
  s.evening = u.day_part[3];
  s.money_purchase_micro = u.money_purchase_micro;
  s.money_cancel_micro = u.money_cancel_micro;
  s.first_event = u.first_event;
  s.last_event = u.last_event;
  s.last_purchase = u.last_purchase;
  // An order counts once: by order key (unless cancelled), else by session id (time of its first
  // purchase), else every purchase event is an order of its own.
  s.first_order = kNoTime;
  s.last_order = kNoLastTime;
  auto count_order = [&s](std::int64_t t) {
    s.orders += 1;
    s.first_order = std::min(s.first_order, t);
    s.last_order = std::max(s.last_order, t);
  };
  for (const auto& o : u.orders()) {
    if ((o.flags & kOrderHasPurchase) && !(o.flags & kOrderCancelled))
      count_order(o.first_purchase);
  }
  s.session_seconds = 0;
  for (const auto& e : u.sessions()) {
    if (e.first_purchase != kNoTime) count_order(e.first_purchase);
    s.session_seconds = detail::add_saturating(s.session_seconds, e.end - e.start);
  }
  for (const auto& g : u.gaps()) {
    s.session_seconds = detail::add_saturating(s.session_seconds, g.end - g.start);
  }
  if (u.loose_purchases > 0) {
    s.orders += u.loose_purchases;
    s.first_order = std::min(s.first_order, u.loose_first);
    s.last_order = std::max(s.last_order, u.loose_last);
  }
  s.sessions = u.sessions().size() + u.gaps().size();
  s.active_days = u.days().size();
  s.open_carts = u.open_carts().size();
  s.distinct_categories = u.categories().size();
  std::uint64_t total = 0;
  double sum = 0.0;
  for (const auto& c : u.categories()) {
    total += c.count;
    sum += detail::entropy_term(c.count);
  }
  s.category_entropy = detail::category_entropy(total, sum);
  return s;
}

}  // namespace segmint::agg
