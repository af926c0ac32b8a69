// Batch size, thread count and file split never change the events or the dictionary order.
#include <gtest/gtest.h>

#include <random>

#include "ingest/csv_source.hpp"
#include "ingest/schema.hpp"
#include "segmint/event_store.hpp"
#include "ingest_test_util.hpp"

namespace segmint {
namespace {

const char* kHeader =
    "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";

// A REES46-shaped log with quoted fields, a bad row and rows without a user.
std::string make_log(int rows, int first = 0) {
  static const char* types[] = {"view", "cart", "purchase", "remove_from_cart"};
  std::string s;
  for (int i = first; i < first + rows; ++i) {
    s += "2019-10-01 0" + std::to_string(i % 10) + ":00:00 UTC," + types[i % 4] + "," +
         std::to_string(1000 + i % 37) + ",20530,\"a,b\",brand," + std::to_string(i % 50) + ".5," +
         (i % 13 == 0 ? std::string() : std::to_string(500000 + (i * 7919) % 211)) + ",s" +
         std::to_string(i % 19) + "\n";
    if (i % 101 == 0) s += "2019-10-01 00:00:00 UTC,view,1,2\n";  // bad: too few fields
  }
  return s;
}

struct Result {
  EventBatch events;
  std::vector<std::string> ids;
  IngestCounts counts;
  std::size_t max_batch = 0;
};

Result read(const std::vector<std::string>& paths, std::size_t batch_rows, int threads) {
  IngestOptions o;
  o.batch_rows = batch_rows;
  o.threads = threads;
  o.skip_bad_rows = true;
  UserDictionary users;
  auto src = open_events(paths, o, users);
  Result r;
  EventBatch b;
  while (src->next(b)) {
    r.max_batch = std::max(r.max_batch, b.size());
    r.events.append(b);
  }
  r.counts = src->counts();
  r.ids = users.ids();
  return r;
}

void expect_same(const Result& a, const Result& b) {
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.events.user, b.events.user);
  EXPECT_EQ(a.events.time, b.events.time);
  EXPECT_EQ(a.events.type, b.events.type);
  EXPECT_EQ(a.events.amount, b.events.amount);
  EXPECT_EQ(a.events.item, b.events.item);
  EXPECT_EQ(a.events.category, b.events.category);
  EXPECT_EQ(a.events.session, b.events.session);
  EXPECT_EQ(a.events.order, b.events.order);
  EXPECT_EQ(a.counts.rows, b.counts.rows);
  EXPECT_EQ(a.counts.bad_rows, b.counts.bad_rows);
  EXPECT_EQ(a.counts.rows_without_user, b.counts.rows_without_user);
  EXPECT_EQ(a.counts.by_type, b.counts.by_type);
  EXPECT_EQ(a.counts.min_time, b.counts.min_time);
  EXPECT_EQ(a.counts.max_time, b.counts.max_time);
}

}  // namespace

TEST(Batching, SameEventsForAnyBatchSizeThreadCountAndChunkSize) {
  test::TempDir dir;
  std::string path = dir.file("e.csv");
  test::write_file(path, kHeader + make_log(2000));
  Result ref = read({path}, 1000, 1);
  // 2000 rows: 154 without user (i % 13 == 0), 20 bad rows (i % 101 == 0) on top.
  EXPECT_EQ(ref.counts.rows, 2020u);
  EXPECT_EQ(ref.counts.bad_rows, 20u);
  EXPECT_EQ(ref.counts.rows_without_user, 154u);
  EXPECT_EQ(ref.events.size(), 2000u - 154u);
  EXPECT_EQ(ref.max_batch, 1000u);
  for (std::size_t rows : {1u, 7u, 1000u}) {
    for (int threads : {1, 2, 3}) {
      Result r = read({path}, rows, threads);
      EXPECT_EQ(r.max_batch, rows);
      expect_same(ref, r);
    }
  }
  auto saved = ingest::CsvSource::chunk_bytes_per_thread;
  ingest::CsvSource::chunk_bytes_per_thread = 1000;  // many chunks, seams everywhere
  for (int threads : {1, 3}) expect_same(ref, read({path}, 7, threads));
  ingest::CsvSource::chunk_bytes_per_thread = saved;
}

// More type names than the row parser remembers, in random order (its memo evicts): every row
// gets the type the plan maps its name to.
TEST(Batching, EveryTypeNameMapsAsThePlanDoes) {
  const std::vector<std::string> names = {"view", "cart", "purchase", "remove_from_cart",
                                          "",     "click", "vieW",   "cart "};
  const ingest::Plan plan = ingest::make_plan(
      {"event_time", "event_type", "product_id", "category_id", "category_code", "brand", "price",
       "user_id", "user_session"},
      IngestOptions{}, "e.csv");
  std::mt19937 rng(5);
  std::string log = kHeader;
  std::vector<EventType> want;
  for (int i = 0; i < 3000; ++i) {
    const std::string& name = names[rng() % (i < 1500 ? 5 : names.size())];
    log += "2019-10-01 00:00:00 UTC," + name + ",1,2,,b,1.5,u" + std::to_string(i % 50) + ",s\n";
    want.push_back(plan.map_type(name));
  }
  test::TempDir dir;
  const std::string path = dir.file("e.csv");
  test::write_file(path, log);
  for (int threads : {1, 2}) {
    const Result r = read({path}, 1000, threads);
    ASSERT_EQ(r.events.size(), want.size());
    EXPECT_EQ(r.events.type, want) << threads << " threads";
  }
}

TEST(Batching, SeveralFilesReadAsOneInOrder) {
  test::TempDir dir;
  std::string all = dir.file("all.csv"), a = dir.file("a.csv"), b = dir.file("b.csv.gz");
  test::write_file(all, kHeader + make_log(600));
  test::write_file(a, kHeader + make_log(250));
  test::write_gz(b, kHeader + make_log(350, 250));
  Result one = read({all}, 64, 1);
  Result two = read({a, b}, 64, 2);
  expect_same(one, two);
  UserDictionary users;
  IngestOptions skip;
  skip.skip_bad_rows = true;
  auto src = open_events({a, b}, skip, users);
  EventBatch batch;
  while (src->next(batch)) {
  }
  EXPECT_EQ(src->schemas(), (std::vector<std::string>{"rees46", "rees46"}));
}

TEST(Batching, StoreFilesAreDetectedByContentAndMixWithCsv) {
  // A store written from a.csv, read together with b.csv.gz, equals reading a.csv and b.csv.gz.
  test::TempDir dir;
  std::string a = dir.file("a.csv"), b = dir.file("b.csv.gz"), store = dir.file("a.store");
  test::write_file(a, kHeader + make_log(250));
  test::write_gz(b, kHeader + make_log(350, 250));
  {
    IngestOptions skip;
    skip.skip_bad_rows = true;
    UserDictionary users;
    auto src = open_events({a}, skip, users);
    write_event_store(*src, users, store);
  }
  EXPECT_TRUE(is_event_store(store));
  EXPECT_FALSE(is_event_store(a));
  Result csv = read({a, b}, 64, 1);
  Result mixed = read({store, b}, 64, 1);
  EXPECT_EQ(csv.ids, mixed.ids);
  EXPECT_EQ(csv.events.user, mixed.events.user);
  EXPECT_EQ(csv.events.time, mixed.events.time);
  EXPECT_EQ(csv.events.session, mixed.events.session);
  EXPECT_EQ(csv.counts.events, mixed.counts.events);
  UserDictionary users;
  auto src = open_events({store, b}, {}, users);
  EventBatch batch;
  src->next(batch);
  EXPECT_EQ(src->schemas()[0], "store");
}

}  // namespace segmint
