// fold_rows counts a user's categories through a small hash index (one entry per distinct key,
// aggregate/user_agg.cpp): whatever the order, repeats, hash collisions, overflow of the index or
// the user folded before on the same thread, the set is the canonical one: keys ascending, each
// with its count.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "aggregate/user_agg.hpp"

namespace segmint::test {
namespace {

using agg::PackedEvent;

// The index's slot of a key (its hash's top 8 bits).
unsigned slot_of(std::uint64_t key) {
  return static_cast<unsigned>((key * 0x9E3779B97F4A7C15ull) >> 56);
}

// `count` random keys; `colliding` of them share one slot (probing past each other).
std::vector<std::uint64_t> key_pool(std::size_t count, std::size_t colliding, std::mt19937_64& g) {
  std::vector<std::uint64_t> keys;
  while (keys.size() < colliding) {
    const std::uint64_t k = g();
    if (slot_of(k) == 17) keys.push_back(k);
  }
  while (keys.size() < count) keys.push_back(g());
  return keys;
}

// n view events of one user with categories from `pool`, in runs of 1..4, in random order.
std::vector<PackedEvent> events(const std::vector<std::uint64_t>& pool, std::size_t n,
                                std::mt19937_64& g) {
  std::vector<PackedEvent> out;
  std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
  std::uniform_int_distribution<int> run(1, 4);
  while (out.size() < n) {
    const std::uint64_t cat = pool[pick(g)];
    for (int r = run(g); r > 0 && out.size() < n; --r) {
      out.push_back({1'700'000'000 + static_cast<std::int64_t>(out.size()), 0.0, cat, kNoKey,
                     kNoKey, EventType::view});
    }
  }
  return out;
}

void add_counts(const std::vector<PackedEvent>& ev, std::map<std::uint64_t, std::uint64_t>& ref) {
  for (const PackedEvent& e : ev) ref[e.category] += 1;
}

void expect_categories(const agg::UserAgg& u, const std::map<std::uint64_t, std::uint64_t>& ref,
                       const char* what) {
  const auto cats = u.categories();
  ASSERT_EQ(cats.size(), ref.size()) << what;
  std::size_t i = 0;
  for (const auto& [key, count] : ref) {
    EXPECT_EQ(cats[i].key, key) << what << " entry " << i;
    EXPECT_EQ(cats[i].count, count) << what << " entry " << i;
    ++i;
  }
}

TEST(AggregateFold, CategoriesAreCanonicalWhateverTheirOrder) {
  std::mt19937_64 g(7);
  const AggregateOptions options;
  // Pools: a few keys; 100 with 30 in one slot; 400 (more than the index holds: the rest are
  // appended and combined by the sort). Users in a row reuse the thread's index.
  const std::vector<std::uint64_t> pools[] = {key_pool(5, 0, g), key_pool(100, 30, g),
                                              key_pool(400, 20, g), key_pool(3, 3, g)};
  for (int round = 0; round < 3; ++round) {
    for (const auto& pool : pools) {
      agg::UserAgg u;
      std::map<std::uint64_t, std::uint64_t> ref;
      for (std::size_t batch : {std::size_t{700}, std::size_t{301}}) {  // a second batch merges
        const std::vector<PackedEvent> ev = events(pool, batch, g);
        add_counts(ev, ref);
        agg::fold_rows(ev.data(), ev.size(), options, u);
        expect_categories(u, ref, pool.size() == 400 ? "overflowing pool" : "pool");
      }
    }
  }
}

}  // namespace
}  // namespace segmint::test
