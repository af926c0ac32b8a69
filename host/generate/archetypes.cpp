// The archetype table. Each row is tuned so its users stand apart on several features at once
// (see datasets/README.md for what each one means and datasets/check_planted.py for the check).
#include "generate/archetypes.hpp"

namespace segmint::gen {

const std::array<Archetype, kArchetypeCount>& archetypes() {
  // name, sessions, active period, day parts (night, morning, afternoon, evening), weekend,
  // views/session, cart, remove, buy, tier, favourite categories, seconds between events
  static const std::array<Archetype, kArchetypeCount> table = {{
      {"champions", 10, 16, 0.0, 1.0, {0.02, 0.28, 0.40, 0.30}, 1.0, 5, 10, 0.30, 0.05, 0.85,
       Tier::premium, 3, 5, 40, 110},
      {"loyal_small_basket", 16, 26, 0.0, 1.0, {0.02, 0.60, 0.25, 0.13}, 0.8, 2, 4, 0.55, 0.05,
       0.90, Tier::cheap, 1, 2, 10, 35},
      {"window_shoppers", 6, 12, 0.0, 1.0, {0.03, 0.17, 0.35, 0.45}, 2.5, 10, 22, 0.004, 0.5,
       0.0, Tier::any, 7, 12, 60, 180},
      {"cart_abandoners", 5, 9, 0.0, 1.0, {0.03, 0.12, 0.30, 0.55}, 1.0, 4, 8, 0.45, 0.35, 0.03,
       Tier::mid, 2, 4, 20, 70},
      {"dormant", 3, 6, 0.0, 0.22, {0.03, 0.30, 0.40, 0.27}, 1.0, 3, 7, 0.20, 0.10, 0.50,
       Tier::mid, 2, 3, 30, 90},
      {"new_customers", 1, 3, kRecentStart, 1.0, {0.03, 0.30, 0.35, 0.32}, 1.0, 3, 7, 0.25, 0.10,
       0.55, Tier::mid, 1, 3, 30, 90},
      {"night_owls", 7, 12, 0.0, 1.0, {0.88, 0.04, 0.03, 0.05}, 1.0, 4, 9, 0.22, 0.10, 0.55,
       Tier::mid, 3, 5, 30, 90},
  }};
  return table;
}

}  // namespace segmint::gen
