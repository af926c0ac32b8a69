// generate_user: personal jitter on the archetype's habits, session start times (active period,
// weekday preference, time of day), then each session's view -> cart -> purchase/remove funnel.
// Messy users (generate/messy.hpp) follow changed habits; heavy ones have many more sessions.
#include "generate/user_events.hpp"

#include <algorithm>
#include <cmath>

#include "generate/archetypes.hpp"
#include "generate/catalog.hpp"
#include "generate/messy.hpp"
#include "generate/rng.hpp"

namespace segmint::gen {
namespace {

constexpr std::int64_t kDay = 86400;

/// The archetype's habits with this user's own variation.
struct Habits {
  const Archetype* a;
  double cart, remove, buy;
  int views_lo, views_hi, gap_lo, gap_hi;
  int favourites[16];
  int n_favourites;
};

Habits personal_habits(const Archetype& a, Rng& rng) {
  Habits h{&a, a.cart_rate * rng.uniform(0.75, 1.25), a.remove_rate * rng.uniform(0.75, 1.25),
           std::min(1.0, a.buy_rate * rng.uniform(0.85, 1.15)), a.views_lo, a.views_hi,
           static_cast<int>(a.gap_lo * rng.uniform(0.8, 1.2)),
           static_cast<int>(a.gap_hi * rng.uniform(0.8, 1.2)), {}, 0};
  // Favourite categories: a partial shuffle of the tier's categories.
  std::vector<int> pool = Catalog::get().categories(a.tier);
  int m = static_cast<int>(rng.between(a.categories_lo, a.categories_hi));
  m = std::min({m, static_cast<int>(pool.size()), 16});
  for (int i = 0; i < m; ++i) {
    auto j = static_cast<std::size_t>(rng.between(i, static_cast<std::int64_t>(pool.size()) - 1));
    std::swap(pool[static_cast<std::size_t>(i)], pool[j]);
    h.favourites[i] = pool[static_cast<std::size_t>(i)];
  }
  h.n_favourites = m;
  return h;
}

/// A session start: a day in [from, to) honouring the weekend preference, then an hour from
/// the day-part weights (5 % of sessions ignore them: habits are not absolute).
std::int64_t session_start(const Archetype& a, const Window& w, std::int64_t from, std::int64_t to,
                           Rng& rng) {
  std::int64_t day = 0;
  for (int attempt = 0; attempt < 8; ++attempt) {
    day = (from + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(to - from))) / kDay;
    std::int64_t weekday = ((w.start / kDay + day) % 7 + 10) % 7;  // 0 = Monday (1970-01-01: Thu)
    bool weekend = weekday >= 5;
    double accept = a.weekend_weight >= 1.0 ? (weekend ? 1.0 : 1.0 / a.weekend_weight)
                                            : (weekend ? a.weekend_weight : 1.0);
    if (rng.chance(accept)) break;
  }
  int part = 0;
  if (rng.chance(0.05)) {
    part = static_cast<int>(rng.between(0, 3));
  } else {
    double u = rng.uniform(), acc = 0;
    for (part = 0; part < 3; ++part) {
      acc += a.daypart[static_cast<std::size_t>(part)];
      if (u < acc) break;
    }
  }
  return w.start + day * kDay + part * 6 * 3600 + rng.between(0, 6 * 3600 - 1);
}

std::uint32_t pick_product(const Habits& h, Rng& rng) {
  int category = h.favourites[rng.between(0, h.n_favourites - 1)];
  double u = rng.uniform();
  auto rank = static_cast<int>(u * u * Catalog::kProductsPerCategory);  // popular items first
  return Catalog::product(category, rank);
}

}  // namespace

void generate_user(std::uint64_t seed, std::uint64_t index, const Window& w, GenUser& user,
                   const Messiness& messy) {
  user.events.clear();
  user.sessions.clear();
  Rng rng(seed, index);
  user.archetype = static_cast<int>(rng.between(0, kArchetypeCount - 1));
  const MessyHabits m =
      messy_habits(archetypes()[static_cast<std::size_t>(user.archetype)], messy, seed, index);
  if (m.untyped) user.archetype = kNoArchetype;
  user.heavy = m.heavy;
  const Archetype& a = m.habits;
  Habits h = personal_habits(a, rng);
  // A heavy user has heavy_factor times the sessions, packed as many times closer.
  const double heavy = m.heavy ? std::max(1.0, messy.heavy_factor) : 1.0;

  const std::int64_t span = w.end() - w.start;
  std::int64_t from = static_cast<std::int64_t>(a.active_from * static_cast<double>(span));
  if (a.active_from == kRecentStart) {
    from = span - static_cast<std::int64_t>(std::min(3.0, 0.3 * w.days) * kDay);
  }
  std::int64_t to = static_cast<std::int64_t>(a.active_to * rng.uniform(a.active_to < 1 ? 0.8 : 1.0, 1.0) *
                                              static_cast<double>(span));
  int n_sessions = static_cast<int>(rng.between(a.sessions_lo, a.sessions_hi));
  n_sessions = static_cast<int>(std::min(n_sessions * heavy, 64 * heavy));
  std::vector<std::int64_t> starts(static_cast<std::size_t>(n_sessions));
  for (auto& s : starts) s = session_start(a, w, from, std::max(to, from + 1), rng);
  std::sort(starts.begin(), starts.end());

  std::int64_t prev_end = w.start - kDay;
  std::uint32_t carts[64];
  for (std::int64_t start : starts) {
    // Sessions never overlap: a start too close to the previous session moves past it.
    std::int64_t pause = 1800 + rng.between(0, 3600);
    if (m.heavy) pause = static_cast<std::int64_t>(static_cast<double>(pause) / heavy);
    std::int64_t t = std::max(start, prev_end + pause);
    auto sid = static_cast<std::uint32_t>(user.sessions.size());
    user.sessions.push_back({rng.next(), rng.next()});
    int n_carts = 0;
    auto emit = [&](std::uint32_t product, EventType type) {
      user.events.push_back({t, product, sid, type});
      t += rng.between(h.gap_lo, h.gap_hi);
    };
    int views = static_cast<int>(rng.between(h.views_lo, h.views_hi));
    for (int v = 0; v < views; ++v) {
      std::uint32_t product = pick_product(h, rng);
      emit(product, EventType::view);
      if (n_carts < 64 && rng.chance(h.cart)) {
        emit(product, EventType::cart);
        carts[n_carts++] = product;
      }
    }
    if (n_carts > 0 && rng.chance(h.buy)) {
      for (int c = 0; c < n_carts; ++c) emit(carts[c], EventType::purchase);
    } else {
      for (int c = 0; c < n_carts; ++c) {
        if (rng.chance(h.remove)) emit(carts[c], EventType::remove_from_cart);
      }
    }
    prev_end = t;
  }
  // Sessions pushed past the window's end are cut there: the data set has a hard edge.
  // Every user keeps at least one event, so truth.csv and events.csv name the same users.
  const std::int64_t end = w.end();
  if (!user.events.empty() && user.events.front().time >= end) {
    user.events.resize(1);
    user.events[0].time = end - 1;
  }
  while (user.events.back().time >= end) user.events.pop_back();
}

}  // namespace segmint::gen
