// The planted archetypes show the habits they are defined by, user by user, and are drawn in
// roughly equal numbers.
#include <gtest/gtest.h>

#include <string>

#include "generate/archetypes.hpp"
#include "generate/catalog.hpp"
#include "generate/generator.hpp"
#include "generate/user_events.hpp"

namespace segmint::test {
namespace {

constexpr std::int64_t kStart = 1569888000;  // 2019-10-01
const gen::Window kWindow{kStart, 30};

int archetype_id(const std::string& name) {
  for (int a = 0; a < gen::kArchetypeCount; ++a) {
    if (name == gen::archetypes()[static_cast<std::size_t>(a)].name) return a;
  }
  ADD_FAILURE() << "no archetype " << name;
  return -1;
}

struct Tally {
  double users = 0, events = 0, purchases = 0, carts = 0, night = 0, spend = 0;
  double last_day_max = 0, first_day_min = 1e9, sessions = 0;
};

/// Per-archetype totals over the first `n` users of seed 5.
std::vector<Tally> tally(int n) {
  std::vector<Tally> t(gen::kArchetypeCount);
  gen::GenUser user;
  for (int u = 0; u < n; ++u) {
    gen::generate_user(5, static_cast<std::uint64_t>(u), kWindow, user);
    Tally& x = t[static_cast<std::size_t>(user.archetype)];
    x.users += 1;
    x.sessions += static_cast<double>(user.sessions.size());
    for (const auto& e : user.events) {
      x.events += 1;
      x.night += (e.time - kStart) % 86400 < 6 * 3600;
      x.carts += e.type == EventType::cart;
      if (e.type == EventType::purchase) {
        x.purchases += 1;
        x.spend += gen::Catalog::get().price_cents(e.product) / 100.0;
      }
    }
    double first = (user.events.front().time - kStart) / 86400.0;
    double last = (user.events.back().time - kStart) / 86400.0;
    x.first_day_min = std::min(x.first_day_min, first);
    x.last_day_max = std::max(x.last_day_max, last);
  }
  return t;
}

TEST(GenerateArchetypes, CountsRoughlyBalanced) {
  auto t = tally(7000);
  for (int a = 0; a < gen::kArchetypeCount; ++a) {
    EXPECT_GT(t[static_cast<std::size_t>(a)].users, 800) << gen::archetypes()[static_cast<std::size_t>(a)].name;
    EXPECT_LT(t[static_cast<std::size_t>(a)].users, 1200) << gen::archetypes()[static_cast<std::size_t>(a)].name;
  }
}

TEST(GenerateArchetypes, EachShowsItsDefiningHabits) {
  auto t = tally(3500);
  auto& champions = t[static_cast<std::size_t>(archetype_id("champions"))];
  auto& loyal = t[static_cast<std::size_t>(archetype_id("loyal_small_basket"))];
  auto& window = t[static_cast<std::size_t>(archetype_id("window_shoppers"))];
  auto& abandoners = t[static_cast<std::size_t>(archetype_id("cart_abandoners"))];
  auto& dormant = t[static_cast<std::size_t>(archetype_id("dormant"))];
  auto& fresh = t[static_cast<std::size_t>(archetype_id("new_customers"))];
  auto& owls = t[static_cast<std::size_t>(archetype_id("night_owls"))];

  // Champions spend per purchase more than 20x what small-basket buyers do; both buy often.
  EXPECT_GT(champions.spend / champions.purchases, 20 * loyal.spend / loyal.purchases);
  EXPECT_GT(champions.purchases / champions.users, 8);
  EXPECT_GT(loyal.sessions / loyal.users, champions.sessions / champions.users);
  // Window shoppers view a lot and (almost) never buy.
  EXPECT_EQ(window.purchases, 0);
  // Stray carts only: ~9 sessions x ~16 views x 0.4 % cart rate = ~0.6 per user.
  EXPECT_LT(window.carts / window.users, 1.0);
  EXPECT_GT(window.events / window.users, 80);
  // Cart abandoners put things in the cart and rarely buy them.
  EXPECT_GT(abandoners.carts / abandoners.users, 8);
  EXPECT_LT(abandoners.purchases / abandoners.carts, 0.1);
  // Dormant users are silent after the first quarter of the window.
  EXPECT_LT(dormant.last_day_max, 0.3 * 30);
  // New customers appear only in the last three days.
  EXPECT_GE(fresh.first_day_min, 27);
  // Night owls act between 00:00 and 06:00 UTC; the others mostly do not.
  EXPECT_GT(owls.night / owls.events, 0.8);
  for (const Tally* other : {&champions, &loyal, &window, &abandoners, &dormant, &fresh}) {
    EXPECT_LT(other->night / other->events, 0.1);
  }
}

}  // namespace
}  // namespace segmint::test
