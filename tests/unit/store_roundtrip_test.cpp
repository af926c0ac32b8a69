// Event store round trips: every column, the dictionary and the counts come back exactly, for
// any read batch size and for batches larger than one chunk.
#include <gtest/gtest.h>

#include "store/store_reader.hpp"
#include "segmint/event_store.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

EventBatch concat(const std::vector<EventBatch>& batches) {
  EventBatch all;
  for (const auto& b : batches) all.append(b);
  return all;
}

/// Reads the whole store with `batch_rows`, checking no batch exceeds it.
EventBatch read_store(const std::string& path, std::size_t batch_rows, UserDictionary& users,
                      IngestCounts* counts = nullptr) {
  IngestOptions options;
  options.batch_rows = batch_rows;
  auto source = open_event_store(path, options, users);
  EventBatch all, batch;
  while (source->next(batch)) {
    EXPECT_LE(batch.size(), batch_rows);
    EXPECT_FALSE(batch.empty());
    all.append(batch);
  }
  EXPECT_EQ(source->schemas(), std::vector<std::string>{"store"});
  if (counts) *counts = source->counts();
  return all;
}

void expect_equal(const EventBatch& a, const EventBatch& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.user, b.user);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.type, b.type);
  // Bitwise: the store keeps the IEEE bits, so equality is exact (no NaNs are generated).
  EXPECT_EQ(a.amount, b.amount);
  EXPECT_EQ(a.item, b.item);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.session, b.session);
  EXPECT_EQ(a.order, b.order);
}

TEST(StoreRoundTrip, RandomBatchesEveryColumnAndDictionary) {
  TempDir dir;
  std::mt19937_64 rng(std::random_device{}());
  for (int trial = 0; trial < 5; ++trial) {
    UserDictionary users;
    auto batches = random_batches(rng, 1 + trial * 3, 5000, users);
    EventBatch expected = concat(batches);
    IngestCounts source_counts;
    source_counts.rows = expected.size() + 17;
    source_counts.bad_rows = 5;
    source_counts.rows_without_user = 12;
    VectorSource source(batches, source_counts);
    std::string path = dir.file("t.sgm");
    EXPECT_EQ(write_event_store(source, users, path), expected.size());
    EXPECT_TRUE(is_event_store(path));

    for (std::size_t batch_rows : {std::size_t{1} << 20, std::size_t{1000}, std::size_t{7}}) {
      UserDictionary reread;
      IngestCounts counts;
      EventBatch got = read_store(path, batch_rows, reread, &counts);
      expect_equal(got, expected);
      EXPECT_EQ(reread.ids(), users.ids());
      EXPECT_EQ(counts.events, expected.size());
      EXPECT_EQ(counts.rows, expected.size() + 17);
      EXPECT_EQ(counts.bad_rows, 5u);
      EXPECT_EQ(counts.rows_without_user, 12u);
      std::array<std::uint64_t, kEventTypeCount> by_type{};
      for (EventType t : expected.type) ++by_type[static_cast<int>(t)];
      EXPECT_EQ(counts.by_type, by_type);
      if (!expected.empty()) {
        EXPECT_EQ(counts.min_time, *std::min_element(expected.time.begin(), expected.time.end()));
        EXPECT_EQ(counts.max_time, *std::max_element(expected.time.begin(), expected.time.end()));
      }
    }
  }
}

TEST(StoreRoundTrip, UsersMapIntoANonEmptyDictionary) {
  TempDir dir;
  UserDictionary users;
  EventBatch b;
  b.push_back(users.intern("alice"), 10, EventType::view, 0, 1, 2, 3, kNoKey);
  b.push_back(users.intern("bob"), 20, EventType::purchase, 9.5, 1, 2, 3, 4);
  b.push_back(users.intern("alice"), 30, EventType::cart, 0, 1, 2, 3, kNoKey);
  VectorSource source({b});
  write_event_store(source, users, dir.file("s.sgm"));

  UserDictionary caller;
  caller.intern("zed");
  caller.intern("bob");  // already known: must keep index 1
  EventBatch got = read_store(dir.file("s.sgm"), 100, caller);
  EXPECT_EQ(got.user, (std::vector<std::uint32_t>{2, 1, 2}));
  EXPECT_EQ(caller.ids(), (std::vector<std::string>{"zed", "bob", "alice"}));
}

TEST(StoreRoundTrip, OnlyUsersWithEventsAreStored) {
  TempDir dir;
  UserDictionary users;
  users.intern("ghost");  // in the dictionary but never in an event
  EventBatch b;
  b.push_back(users.intern("real"), 5, EventType::view, 0, 1, kNoKey, kNoKey, kNoKey);
  VectorSource source({b});
  write_event_store(source, users, dir.file("g.sgm"));
  UserDictionary reread;
  EventBatch got = read_store(dir.file("g.sgm"), 100, reread);
  EXPECT_EQ(reread.ids(), std::vector<std::string>{"real"});
  EXPECT_EQ(got.user, std::vector<std::uint32_t>{0});
}

TEST(StoreRoundTrip, EmptySourceGivesAValidEmptyStore) {
  TempDir dir;
  UserDictionary users;
  VectorSource source({});
  EXPECT_EQ(write_event_store(source, users, dir.file("e.sgm")), 0u);
  UserDictionary reread;
  IngestCounts counts;
  EventBatch got = read_store(dir.file("e.sgm"), 100, reread, &counts);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(counts.events, 0u);
  EXPECT_EQ(reread.size(), 0u);
}

TEST(StoreRoundTrip, BatchLargerThanAChunkIsSplit) {
  TempDir dir;
  UserDictionary users;
  EventBatch b;
  const std::size_t n = (std::size_t{1} << 20) + 12345;  // two chunks
  std::uint32_t u0 = users.intern("u0"), u1 = users.intern("u1");
  b.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    b.push_back(i % 3 ? u1 : u0, static_cast<std::int64_t>(i), EventType::view,
                static_cast<double>(i) * 0.25, i, i + 1, i + 2, i + 3);
  }
  VectorSource source({b});
  write_event_store(source, users, dir.file("big.sgm"));
  UserDictionary reread;
  EventBatch got = read_store(dir.file("big.sgm"), std::size_t{1} << 19, reread);
  expect_equal(got, b);
}

}  // namespace
}  // namespace segmint::test
