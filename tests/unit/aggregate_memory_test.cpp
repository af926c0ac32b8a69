// Memory per user (issue 15): sets hold their distinct entries in one exact block per user, and
// a table consumed by compute_features frees its users as their rows are computed.
#include <cstring>
#include <random>
#include <sstream>
#include <type_traits>
#include <vector>

#include "aggregate/user_sets.hpp"
#include "features_fixture.hpp"

namespace segmint::test {
namespace {

// `users` users, each with 9 sessions (of `events_per_session` views), 3 categories and 2 days.
Log sessions_log(std::uint32_t users, int events_per_session) {
  Log log;
  for (std::uint32_t u = 0; u < users; ++u) {
    for (int s = 0; s < 9; ++s) {
      for (int e = 0; e < events_per_session; ++e) {
        const std::int64_t t = kT0 + (s % 2) * kDay + s * 3600 + e * 30;
        log.add(u, t, EventType::view, 0, "i" + std::to_string(e), "c" + std::to_string(s % 3),
                "s" + std::to_string(u) + "." + std::to_string(s));
      }
    }
  }
  return log;
}

// A user's sets hold their distinct entries, however many events repeat them. 90 events in 9
// sessions, 3 categories and 2 days cost what 9 events with the same sessions, categories and
// days cost; folding every event into the user's sets directly used to leave them at the event
// count's capacity (~5 KB per user).
TEST(AggregateMemory, SetsFollowDistinctEntriesNotEvents) {
  const Log once = sessions_log(50, 1), often = sessions_log(50, 10);
  UserTable a, b;
  a.add(once.batch);
  b.add(often.batch);
  ASSERT_EQ(a.users(), b.users());
  EXPECT_EQ(b.memory_bytes(), a.memory_bytes());
  // A second batch of the same sessions adds nothing either.
  b.add(often.batch);
  EXPECT_EQ(b.memory_bytes(), a.memory_bytes());
}

// One full block of 1024 users: each costs its fixed part plus exactly its entries (9 sessions
// of 40 B, 3 categories of 16 B, 2 days of 4 B = 416 B). Six vectors made the fixed part 328 B
// (744 B a user, over the bound); one block pointer and six counts make it 216 B.
TEST(AggregateMemory, UserCostsFixedPartAndExactlyItsEntries) {
  const std::uint32_t users = 1024;
  UserTable t;
  t.add(sessions_log(users, 3).batch);
  ASSERT_EQ(t.users(), users);
  const std::size_t entries =
      9 * sizeof(agg::SessionEntry) + 3 * sizeof(agg::CategoryEntry) + 2 * sizeof(std::int32_t);
  EXPECT_EQ(entries, 416u);
  EXPECT_LE(t.memory_bytes(), users * (entries + 224));
  EXPECT_GE(t.memory_bytes(), users * entries);
}

// Sets stay exact (and their block exactly sized) under merges at any split of the events.
TEST(AggregateMemory, MergedSetsAreExactAtAnySplit) {
  const EventBatch all = random_events(6000, 40, 11);
  UserTable whole;
  whole.add(all);
  for (std::size_t cut : {std::size_t{1}, std::size_t{777}, std::size_t{3000}, std::size_t{5999}}) {
    std::vector<std::size_t> head(cut), tail(all.size() - cut);
    for (std::size_t i = 0; i < cut; ++i) head[i] = i;
    for (std::size_t i = cut; i < all.size(); ++i) tail[i - cut] = i;
    UserTable a, b;
    a.add(take_rows(all, head));
    b.add(take_rows(all, tail));
    b.merge(a);
    EXPECT_EQ(b.memory_bytes(), whole.memory_bytes()) << "cut " << cut;
    for (std::size_t u = 0; u < whole.users(); ++u) {
      EXPECT_EQ(b.summary(u).sessions, whole.summary(u).sessions) << "user " << u;
      EXPECT_EQ(b.summary(u).distinct_categories, whole.summary(u).distinct_categories);
    }
  }
}

agg::SessionEntry session(std::uint64_t key) { return {key, 10, 20, 1, 15}; }

TEST(UserSets, AssignRewritesInPlaceOrIntoAnExactBlock) {
  agg::UserSets s;
  EXPECT_EQ(s.bytes(), 0u);
  const std::vector<agg::SessionEntry> two = {session(1), session(2)};
  const std::vector<std::int32_t> days = {5, 7, 9};
  agg::SetsView v;
  v.sessions = two;
  v.days = days;
  s.assign(v);
  EXPECT_EQ(s.bytes(), 2 * sizeof(agg::SessionEntry) + 3 * sizeof(std::int32_t));
  ASSERT_EQ(s.sessions().size(), 2u);
  EXPECT_EQ(s.sessions()[1].key, 2u);
  EXPECT_EQ(s.days()[2], 9);
  // Same lengths: rewritten in place (the block stays where it is).
  const agg::SessionEntry* where = s.sessions().data();
  const std::vector<agg::SessionEntry> other = {session(3), session(4)};
  agg::SetsView w = s.view();
  w.sessions = other;
  s.assign(w);
  EXPECT_EQ(s.sessions().data(), where);
  EXPECT_EQ(s.sessions()[0].key, 3u);
  EXPECT_EQ(s.days()[0], 5);  // read from the block being rewritten
  // A set that grows: a new block, the other sets copied from the old one.
  const std::vector<std::int64_t> carts = {100, 200};
  agg::SetsView g = s.view();
  g.open_carts = carts;
  s.assign(g);
  EXPECT_EQ(s.bytes(), 2 * sizeof(agg::SessionEntry) + 2 * 8 + 3 * sizeof(std::int32_t));
  EXPECT_EQ(s.sessions()[1].key, 4u);
  EXPECT_EQ(s.open_carts()[1], 200);
  EXPECT_EQ(s.days()[1], 7);
  // A suffix of its own set (dropping followed carts) also reads from the old block.
  agg::SetsView d = s.view();
  d.open_carts = agg::Span<const std::int64_t>(s.open_carts().data() + 1, 1);
  s.assign(d);
  ASSERT_EQ(s.open_carts().size(), 1u);
  EXPECT_EQ(s.open_carts()[0], 200);
  // Copies are deep; moves leave the source empty.
  agg::UserSets copy = s;
  EXPECT_NE(copy.sessions().data(), s.sessions().data());
  EXPECT_EQ(std::memcmp(copy.sessions().data(), s.sessions().data(), 2 * sizeof(agg::SessionEntry)),
            0);
  agg::UserSets moved = std::move(copy);
  EXPECT_EQ(copy.bytes(), 0u);
  EXPECT_EQ(moved.days()[2], 9);
  moved.clear();
  EXPECT_TRUE(moved.sessions().empty());
  EXPECT_EQ(moved.bytes(), 0u);
}

// Random rewrites against plain vectors: each set is kept, replaced by a part of itself (a
// prefix, a suffix or a middle: views into the block), or by new entries of any length, so that
// sets grow, shrink or keep their length, in place and into new blocks. Entries are distinct
// across rounds, so a set copied from a stale place shows.
TEST(UserSets, RandomRewritesKeepEverySet) {
  std::mt19937_64 rng(1204);
  std::uint64_t next = 1;
  agg::UserSets s;
  agg::SetVectors want, fresh;  // what the sets must hold; new entries the view points to
  // The new value of one set, as a span (into the block, or into `fresh`) and as a vector.
  auto pick = [&](auto current, auto& want, auto& fresh, auto make) {
    using T = std::remove_const_t<std::remove_reference_t<decltype(*current.data())>>;
    const std::size_t n = current.size();
    switch (rng() % 5) {
      case 0:
      case 1:
        return current;  // unchanged
      case 2: {          // a part of itself
        const std::size_t a = n ? rng() % (n + 1) : 0, b = a + (n - a ? rng() % (n - a + 1) : 0);
        want.assign(want.begin() + a, want.begin() + b);
        return agg::Span<const T>(current.data() + a, b - a);
      }
      default: {  // new entries, up to twice as many
        fresh.clear();
        const std::size_t m = rng() % (2 * n + 4);
        for (std::size_t i = 0; i < m; ++i) fresh.push_back(make(next++));
        want = fresh;
        return agg::Span<const T>(fresh.data(), fresh.size());
      }
    }
  };
  std::size_t in_place = 0, new_blocks = 0;
  for (int round = 0; round < 3000; ++round) {
    if (round % 30 == 0) {  // start over from no block
      s.clear();
      want = agg::SetVectors{};
    }
    agg::SetsView v;
    v.orders = pick(s.orders(), want.orders, fresh.orders, [](std::uint64_t x) {
      return agg::OrderEntry{x, static_cast<std::int64_t>(x), 1};
    });
    v.sessions = pick(s.sessions(), want.sessions, fresh.sessions, [](std::uint64_t x) {
      return agg::SessionEntry{x, 1, 2, x, 3};
    });
    v.gaps = pick(s.gaps(), want.gaps, fresh.gaps, [](std::uint64_t x) {
      return agg::Interval{static_cast<std::int64_t>(x), 0, x};
    });
    v.categories = pick(s.categories(), want.categories, fresh.categories,
                        [](std::uint64_t x) { return agg::CategoryEntry{x, x}; });
    v.open_carts = pick(s.open_carts(), want.open_carts, fresh.open_carts,
                        [](std::uint64_t x) { return static_cast<std::int64_t>(x); });
    v.days = pick(s.days(), want.days, fresh.days,
                  [](std::uint64_t x) { return static_cast<std::int32_t>(x); });
    const unsigned char* block = reinterpret_cast<const unsigned char*>(s.orders().data());
    const std::size_t bytes = s.bytes();
    s.assign(v);
    if (block) {
      (reinterpret_cast<const unsigned char*>(s.orders().data()) == block && s.bytes() == bytes
           ? in_place
           : new_blocks) += 1;
    }
    ASSERT_EQ(std::vector<std::uint64_t>(), [&] {
      std::vector<std::uint64_t> bad;
      auto check = [&](auto got, const auto& want, std::uint64_t set) {
        if (got.size() != want.size() ||
            (got.size() && std::memcmp(got.data(), want.data(), got.size() * sizeof(want[0])))) {
          bad.push_back(set);
        }
      };
      check(s.orders(), want.orders, 0);
      check(s.sessions(), want.sessions, 1);
      check(s.gaps(), want.gaps, 2);
      check(s.categories(), want.categories, 3);
      check(s.open_carts(), want.open_carts, 4);
      check(s.days(), want.days, 5);
      return bad;
    }()) << "round " << round;
  }
  EXPECT_GT(in_place, 30u);  // all six lengths kept: rarer
  EXPECT_GT(new_blocks, 1000u);
}

// compute_features(UserTable&&) gives the same matrix bit for bit, slice after slice (over
// 16384 users: several slices), and frees the table as it goes.
TEST(AggregateMemory, ConsumedTableGivesTheSameFeaturesAndIsFreed) {
  const EventBatch events = random_events(120000, 40000, 5);
  AggregateOptions o;
  o.threads = 2;
  UserTable kept(o), consumed(o);
  kept.add(events);
  consumed.add(events);
  std::int64_t as_of_kept = 0, as_of_consumed = 0;
  const FeatureMatrix a = compute_features(kept, {}, &as_of_kept);
  const FeatureMatrix b = compute_features(std::move(consumed), {}, &as_of_consumed);
  EXPECT_EQ(as_of_kept, as_of_consumed);
  ASSERT_EQ(a.values.size(), b.values.size());
  EXPECT_EQ(std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)), 0);
  EXPECT_EQ(a.names, b.names);
}

TEST(AggregateMemory, ReleasedUsersAreGoneForGood) {
  const EventBatch events = random_events(20000, 3000, 9);
  UserTable t;
  t.add(events);
  const std::size_t full = t.memory_bytes();
  t.release_users_before(2048);  // two whole blocks and their sets
  EXPECT_LT(t.memory_bytes(), full);
  EXPECT_THROW(t.summary(100), RuntimeError);
  EXPECT_NO_THROW(t.summary(2048));
  EXPECT_THROW(t.add(events), RuntimeError);
  UserTable other;
  EXPECT_THROW(other.merge(t), RuntimeError);
  t.release_users_before(t.users());
  EXPECT_EQ(t.memory_bytes(), 0u);
  std::ostringstream out;
  EXPECT_THROW(t.save(out), RuntimeError);
}

}  // namespace
}  // namespace segmint::test
