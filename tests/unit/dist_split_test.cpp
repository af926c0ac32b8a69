// host/dist without MPI: the input split (pieces in order, cuts at record starts, line numbers
// of a range), the shared reading of all pieces equals one reading of the file, the global order
// of one rank, the ordered sums, and a shard round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "dist/order.hpp"
#include "dist/ordered.hpp"
#include "dist/shard.hpp"
#include "dist/shuffle.hpp"
#include "dist/split.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::dist {
namespace {

// A CSV of `rows` rows: user u<i % 37>, one quoted field with a comma in every 5th row.
std::string make_csv(int rows) {
  std::string s =
      "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_"
      "session\n";
  for (int i = 0; i < rows; ++i) {
    s += "2019-10-01 00:00:" + std::to_string(10 + i % 50) + " UTC,view," + std::to_string(i) +
         ",1," + (i % 5 ? "x" : "\"a,b\"") + ",b,1.5,u" + std::to_string(i % 37) + ",s\n";
  }
  return s;
}

TEST(DistSplit, PiecesCoverTheInputInOrder) {
  test::TempDir dir;
  const std::string big = dir.file("big.csv"), small = dir.file("small.csv");
  test::write_file(big, make_csv(20000));
  test::write_file(small, make_csv(10));
  for (int ranks = 1; ranks <= 5; ++ranks) {
    std::size_t small_seen = 0;
    std::uint64_t covered = 0, last_end = 0;
    for (int r = 0; r < ranks; ++r) {
      for (const Piece& p : plan_pieces({small, big}, ranks, r, 1024)) {
        if (p.whole) {
          small_seen += p.path == small;
          EXPECT_TRUE(p.path == small || ranks == 1);
          continue;
        }
        EXPECT_EQ(p.begin, last_end);  // consecutive ranks hold consecutive ranges
        last_end = p.end;
        covered += p.end - p.begin;
      }
    }
    EXPECT_EQ(small_seen, 1u);
    EXPECT_EQ(covered, ranks == 1 ? 0u : std::filesystem::file_size(big));
  }
}

TEST(DistSplit, RecordStartIsAfterANewline) {
  test::TempDir dir;
  const std::string f = dir.file("f.csv");
  test::write_file(f, "ab\ncd\nef");
  EXPECT_EQ(record_start(f, 0), 0u);
  EXPECT_EQ(record_start(f, 1), 3u);
  EXPECT_EQ(record_start(f, 3), 3u);  // byte 2 is '\n': 3 already starts a record
  EXPECT_EQ(record_start(f, 4), 6u);
  EXPECT_EQ(record_start(f, 7), 8u);  // no newline left: the end
}

// Reading every rank's pieces in turn gives the events and users of one reading, in order.
TEST(DistSplit, PiecesReadLikeTheWholeFile) {
  test::TempDir dir;
  const std::string f = dir.file("big.csv");
  test::write_file(f, make_csv(5000));
  UserDictionary whole_users;
  const EventBatch whole = read_all_events({f}, {}, whole_users);
  for (int ranks = 2; ranks <= 4; ++ranks) {
    UserDictionary users;
    EventBatch all, batch;
    for (int r = 0; r < ranks; ++r) {
      for (const Piece& p : plan_pieces({f}, ranks, r, 1024)) {
        auto src = open_piece(p, {}, users);
        while (src->next(batch)) all.append(batch);
      }
    }
    EXPECT_EQ(all.time, whole.time);
    EXPECT_EQ(all.item, whole.item);
    EXPECT_EQ(users.ids(), whole_users.ids());
  }
}

TEST(DistSplit, BadRowInARangeNamesItsLineInTheFile) {
  test::TempDir dir;
  const std::string f = dir.file("bad.csv");
  std::string text = make_csv(3000);
  const std::size_t at = text.size() * 9 / 10;
  const std::size_t line_start = text.rfind('\n', at) + 1;
  text.insert(line_start, "broken,row\n");
  const auto line = 1 + std::count(text.begin(), text.begin() + line_start, '\n');
  test::write_file(f, text);
  std::string message;
  try {
    UserDictionary users;
    EventBatch batch;
    for (const Piece& p : plan_pieces({f}, 3, 2, 1024)) {
      auto src = open_piece(p, {}, users);
      while (src->next(batch)) {
      }
    }
  } catch (const InputError& e) {
    message = e.what();
  }
  EXPECT_EQ(message.rfind(f + ":" + std::to_string(line) + ":", 0), 0u) << message;
}

TEST(DistOrder, OneRankNumbersUsersByFirstAppearance) {
  const std::vector<std::uint64_t> first = {appearance_key(0, 5), 3, appearance_key(0, 1)};
  std::uint64_t total = 0;
  EXPECT_EQ(global_rows(first, 4, &total), (std::vector<std::uint64_t>{5, 3, 4}));
  EXPECT_EQ(total, 3u);
}

TEST(DistOrdered, TotalsAddChunksInOrderFromZero) {
  const std::vector<double> chunks = {1e16, 1.0, -1e16, 1.0};  // order matters in doubles
  EXPECT_EQ(ordered_total(chunks, 2), (std::vector<double>{1e16 + -1e16, 1.0 + 1.0}));
  EXPECT_EQ(total_in_order({1e16, 1.0, -1e16}), (1e16 + 1.0) + -1e16);
  EXPECT_EQ(all_chunk_values({1.0, 2.0}), (std::vector<double>{1.0, 2.0}));
}

TEST(DistShard, RoundTrip) {
  test::TempDir dir;
  OwnedUsers owned;
  owned.table = UserTable(AggregateOptions{});
  EventBatch b;
  b.push_back(owned.users.intern("a"), 100, EventType::purchase, 2.5, 1, 2, 3, 4);
  b.push_back(owned.users.intern("b"), 200, EventType::view, 0, 1, 2, 3, kNoKey);
  owned.table.add(b);
  owned.rows = {7, 2};
  save_shard(owned, dir.file("s.bin"));
  OwnedUsers back;
  load_shard(dir.file("s.bin"), back);
  EXPECT_EQ(back.users.ids(), owned.users.ids());
  EXPECT_EQ(back.first, owned.rows);
  EXPECT_EQ(back.table.summary(1).last_event, 200);
  test::write_file(dir.file("t.bin"), "nonsense");
  OwnedUsers bad;
  EXPECT_THROW(load_shard(dir.file("t.bin"), bad), InputError);
}

}  // namespace
}  // namespace segmint::dist
