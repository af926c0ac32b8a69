// The planted behavioral archetypes of `segmint generate`: each is a set of habit parameters
// (how often, when, how deep into the funnel, how expensive) chosen so that archetypes differ
// on several behavioral features at once, not just one.
#pragma once
#include <array>
#include <cstdint>

namespace segmint::gen {

/// Price tiers of the catalog's categories.
enum class Tier : std::uint8_t { cheap = 0, mid = 1, premium = 2, any = 3 };

struct Archetype {
  const char* name;
  int sessions_lo, sessions_hi;   ///< sessions in the user's active period
  double active_from, active_to;  ///< active period as fractions of the window (see new_from)
  std::array<double, 4> daypart;  ///< weights of night 00-06, morning, afternoon, evening (UTC)
  double weekend_weight;          ///< relative chance a session falls on Saturday/Sunday
  int views_lo, views_hi;         ///< product views per session
  double cart_rate;               ///< chance a view is followed by add-to-cart
  double remove_rate;             ///< chance a cart line is removed again (non-buying sessions)
  double buy_rate;                ///< chance a session with cart lines ends with a purchase
  Tier tier;                      ///< where the favourite categories come from
  int categories_lo, categories_hi;  ///< number of favourite categories
  int gap_lo, gap_hi;             ///< seconds between consecutive events of a session
};

inline constexpr int kArchetypeCount = 7;

/// The archetypes, in the order of their ids (truth.csv names them).
const std::array<Archetype, kArchetypeCount>& archetypes();

/// Marker for active_from: "the last few days" (3 days, at most 30 % of a short window).
inline constexpr double kRecentStart = -1.0;

}  // namespace segmint::gen
