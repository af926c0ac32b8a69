// The device feature stage emulated on the CPU with the very __host__ __device__ functions the
// kernels run: events arrive in batches and ring chunks, are appended to the (device) event store
// and folded into per-user counters in a shuffled order (as integer atomics would land); at the
// end the store is sorted by (user, time) with ties in random order, its columns are reordered
// once, and each user is walked by one thread or, when heavy, in chunks whose partials combine
// in the kernels' fixed-order tree;
// set walks run over the rows sorted by each set key (categories of heavy users from their key
// groups). std::sort stands in for the CUB sorts.
#pragma once
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "segmint/detail/tree_combine.hpp"
#include "segmint/detail/user_walk.hpp"
#include "segmint/events.hpp"

namespace segmint::test {

/// The event columns as the device store holds them (user = local index of the pass).
struct EmulatedStore {
  std::vector<std::int64_t> time;
  std::vector<double> amount;
  std::vector<std::uint64_t> item, category, session, order;
  std::vector<std::uint32_t> user;
  std::vector<std::uint8_t> type;

  std::size_t size() const { return time.size(); }
  detail::EventColumns columns() const {
    return {time.data(),    amount.data(), item.data(), category.data(),
            session.data(), order.data(),  user.data(), type.data()};
  }
  /// Appends row r of b with its user mapped through `local` (identity when empty).
  void append(const EventBatch& b, std::size_t r, const std::vector<std::uint32_t>& local) {
    time.push_back(b.time[r]);
    amount.push_back(b.amount[r]);
    item.push_back(b.item[r]);
    category.push_back(b.category[r]);
    session.push_back(b.session[r]);
    order.push_back(b.order[r]);
    user.push_back(local.empty() ? b.user[r] : local[b.user[r]]);
    type.push_back(static_cast<std::uint8_t>(b.type[r]));
  }
  /// Every column gathered into the order `perm` (the device's one reorder after the sort).
  void reorder(const std::vector<std::uint32_t>& perm) {
    auto gather = [&perm](auto& col) {
      auto out = col;
      for (std::size_t p = 0; p < perm.size(); ++p) out[p] = col[perm[p]];
      col.swap(out);
    };
    gather(time), gather(amount), gather(item), gather(category);
    gather(session), gather(order), gather(user), gather(type);
  }
};

/// Per-user state of one emulated pass: the counters folded as chunks arrive.
struct EmulatedPass {
  std::size_t users = 0;
  std::int64_t gap = 1800, tz = 0;
  std::int64_t heavy = 64;  ///< segments of at least this many events take the chunked walks
  EmulatedStore store;
  std::vector<detail::EventCounters> counters;

  /// Stores rows [first, first + rows) of b and folds them in a shuffled order.
  void fold_chunk(const EventBatch& b, std::size_t first, std::size_t rows,
                  const std::vector<std::uint32_t>& local, std::mt19937_64& rng) {
    const std::size_t at = store.size();
    for (std::size_t r = first; r < first + rows; ++r) store.append(b, r, local);
    if (counters.size() < users) counters.resize(users, detail::empty_counters());
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), at);
    std::shuffle(order.begin(), order.end(), rng);
    const detail::PlainOps ops;
    for (std::size_t p : order) {
      detail::fold_event(counters[store.user[p]], store.time[p], store.type[p], store.amount[p],
                         store.session[p], store.order[p], tz, ops);
    }
  }

  /// The end of the pass: sort, reorder, walks. Returns one summary per local user.
  std::vector<detail::UserSummary> finish(std::mt19937_64& rng) {
    counters.resize(users, detail::empty_counters());
    const std::size_t n = store.size();
    std::vector<std::uint64_t> tie(n);
    for (auto& t : tie) t = rng();
    std::vector<std::uint32_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0u);
    std::sort(perm.begin(), perm.end(), [&](std::uint32_t a, std::uint32_t b) {
      const auto& s = store;
      if (s.user[a] != s.user[b]) return s.user[a] < s.user[b];
      return s.time[a] != s.time[b] ? s.time[a] < s.time[b] : tie[a] < tie[b];
    });
    store.reorder(perm);
    std::vector<std::int64_t> off(users + 1, 0);
    for (std::uint32_t u : store.user) off[u + 1] += 1;
    for (std::size_t u = 0; u < users; ++u) off[u + 1] += off[u];
    std::vector<detail::UserSummary> out(users);
    for (std::size_t u = 0; u < users; ++u) {
      out[u] = detail::summary_from_counters(counters[u]);
      walk_time(off[u], off[u + 1], counters[u].last_purchase, out[u], rng);
    }
    for (detail::SetKind k :
         {detail::SetKind::orders, detail::SetKind::sessions, detail::SetKind::categories}) {
      walk_sets(k, off, out, rng);
    }
    return out;
  }

 private:
  /// Contiguous chunks covering [b, e): one for a light user, a random count for a heavy one.
  std::vector<std::int64_t> cuts(std::int64_t b, std::int64_t e, std::mt19937_64& rng) const {
    std::vector<std::int64_t> c = {b, e};
    if (e - b >= heavy) {
      const int parts = 1 + static_cast<int>(rng() % 40);
      for (int i = 0; i < parts; ++i)
        c.push_back(b + static_cast<std::int64_t>(rng() % (e - b + 1)));
    }
    std::sort(c.begin(), c.end());
    return c;
  }

  void walk_time(std::int64_t b, std::int64_t e, std::int64_t last_purchase, detail::UserSummary& s,
                 std::mt19937_64& rng) const {
    const detail::EventColumns c = store.columns();
    const auto at = cuts(b, e, rng);
    std::vector<detail::TimePartial> parts;
    for (std::size_t i = 0; i + 1 < at.size(); ++i) {
      parts.push_back(
          detail::time_partial(c, detail::DirectRows{}, at[i], at[i + 1], gap, tz, last_purchase));
    }
    // The kernel's fixed-order tree over the chunk partials.
    const std::int64_t g = gap;
    const detail::TimePartial p = detail::tree_combine(
        parts.data(), static_cast<int>(parts.size()),
        [g](const detail::TimePartial& a, const detail::TimePartial& b) {
          return detail::combine_time(a, b, g);
        });
    detail::finish_time(p, s);
    detail::finish_days(p, s);
  }

  void walk_sets(detail::SetKind k, const std::vector<std::int64_t>& off,
                 std::vector<detail::UserSummary>& out, std::mt19937_64& rng) const {
    const detail::EventColumns c = store.columns();
    const std::size_t n = store.size();
    std::vector<std::pair<std::uint64_t, std::uint64_t>> kv(n);  // (key, random tie)
    std::vector<std::uint32_t> rows(n);
    for (std::size_t p = 0; p < n; ++p)
      kv[p] = {detail::set_key(k, c, static_cast<std::uint32_t>(p), tz), rng()};
    std::iota(rows.begin(), rows.end(), 0u);
    for (std::size_t u = 0; u < users; ++u) {
      std::sort(rows.begin() + off[u], rows.begin() + off[u + 1],
                [&kv](std::uint32_t a, std::uint32_t b) { return kv[a] < kv[b]; });
    }
    std::vector<std::uint64_t> keys(n);
    for (std::size_t p = 0; p < n; ++p) keys[p] = kv[rows[p]].first;
    for (std::size_t u = 0; u < users; ++u) {
      const std::int64_t b = off[u], e = off[u + 1];
      if (e - b < heavy) {
        detail::walk_set(k, c, keys.data(), rows.data(), b, e, out[u]);
      } else if (k == detail::SetKind::categories) {
        heavy_categories(keys, b, e, rows, out[u]);
      } else {
        const auto at = cuts(b, e, rng);
        std::vector<detail::SetPartial> parts;
        for (std::size_t i = 0; i + 1 < at.size(); ++i)
          parts.push_back(detail::set_partial(k, c, keys.data(), rows.data(), at[i], at[i + 1]));
        const detail::SetPartial p = detail::tree_combine(
            parts.data(), static_cast<int>(parts.size()),
            [k](const detail::SetPartial& a, const detail::SetPartial& b) {
              return detail::combine_set(k, a, b);
            });
        detail::apply_sums(k, detail::finish_set(k, p), out[u]);
      }
    }
  }

  void heavy_categories(const std::vector<std::uint64_t>& keys, std::int64_t b, std::int64_t e,
                        const std::vector<std::uint32_t>& rows, detail::UserSummary& s) const {
    const detail::EventColumns c = store.columns();
    std::vector<std::uint32_t> starts;
    std::uint64_t last_in_set = 0;
    for (std::int64_t i = b; i < e; ++i) {  // the device finds these in parallel
      if (detail::key_group_starts(keys.data(), b, i))
        starts.push_back(static_cast<std::uint32_t>(i));
      last_in_set +=
          keys[i] == ~std::uint64_t{0} && detail::in_set(detail::SetKind::categories, c, rows[i]);
    }
    detail::category_runs_apply(keys.data(), starts.data(), starts.size(), e, last_in_set, s);
  }
};

}  // namespace segmint::test
