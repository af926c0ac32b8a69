// messy_habits: the untyped mix, the per-user jitter of every rate and the heavy-user draw.
#include "generate/messy.hpp"

#include <algorithm>
#include <cmath>

#include "generate/rng.hpp"

namespace segmint::gen {
namespace {

constexpr std::uint64_t kMessySalt = 0x6D657373795F7573ull;  // "messy_us"

const Archetype& any_archetype(Rng& rng) {
  return archetypes()[static_cast<std::size_t>(rng.between(0, kArchetypeCount - 1))];
}

/// Each habit group from an archetype drawn anew: a user that is no archetype.
Archetype mixed(Rng& rng) {
  Archetype h = any_archetype(rng);
  h.name = "none";
  const Archetype& s = any_archetype(rng);
  h.sessions_lo = s.sessions_lo, h.sessions_hi = s.sessions_hi;
  const Archetype& p = any_archetype(rng);
  h.active_from = p.active_from, h.active_to = p.active_to;
  h.daypart = any_archetype(rng).daypart;
  h.weekend_weight = any_archetype(rng).weekend_weight;
  const Archetype& v = any_archetype(rng);
  h.views_lo = v.views_lo, h.views_hi = v.views_hi;
  h.cart_rate = any_archetype(rng).cart_rate;
  h.remove_rate = any_archetype(rng).remove_rate;
  h.buy_rate = any_archetype(rng).buy_rate;
  const Archetype& c = any_archetype(rng);
  h.tier = c.tier, h.categories_lo = c.categories_lo, h.categories_hi = c.categories_hi;
  const Archetype& g = any_archetype(rng);
  h.gap_lo = g.gap_lo, h.gap_hi = g.gap_hi;
  return h;
}

/// lo..hi times f, rounded, at least 1 (and hi >= lo).
void scale_range(int& lo, int& hi, double f) {
  lo = std::max(1, static_cast<int>(std::lround(lo * f)));
  hi = std::max(lo, static_cast<int>(std::lround(hi * f)));
}

void jitter(Archetype& h, double sigma, Rng& rng) {
  auto factor = [&] { return std::exp(sigma * rng.normal()); };
  scale_range(h.sessions_lo, h.sessions_hi, factor());
  if (h.active_to < 1.0) h.active_to = std::min(1.0, h.active_to * factor());
  double sum = 0;
  for (double& w : h.daypart) sum += (w *= factor());
  for (double& w : h.daypart) w /= sum;
  h.weekend_weight *= factor();
  scale_range(h.views_lo, h.views_hi, factor());
  h.cart_rate = std::min(1.0, h.cart_rate * factor());
  h.remove_rate = std::min(1.0, h.remove_rate * factor());
  h.buy_rate = std::min(1.0, h.buy_rate * factor());
  scale_range(h.categories_lo, h.categories_hi, factor());
  scale_range(h.gap_lo, h.gap_hi, factor());
}

}  // namespace

MessyHabits messy_habits(const Archetype& planted, const Messiness& messy, std::uint64_t seed,
                         std::uint64_t index) {
  MessyHabits out{planted};
  if (!messy.any()) return out;
  Rng rng(seed ^ kMessySalt, index);
  out.untyped = rng.chance(messy.untyped_share);
  out.heavy = rng.chance(messy.heavy_share);
  if (out.untyped) out.habits = mixed(rng);
  if (messy.jitter > 0) jitter(out.habits, messy.jitter, rng);
  return out;
}

}  // namespace segmint::gen
