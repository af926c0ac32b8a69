// Bad input: each kind of bad row ("FILE:LINE: what"), skip mode counts, and whole-file errors.
#include <gtest/gtest.h>

#include <fstream>

#include "ingest_test_util.hpp"

namespace segmint {
namespace {

const std::string kHeader = "user_id,item_id,category_id,behavior_type,timestamp\n";
const std::string kGood = "1,2,3,pv,1511544070\n";

// Writes header + good + bad + good; returns the path.
std::string file_with_bad_row(const test::TempDir& dir, const std::string& bad) {
  std::string path = dir.file("bad.csv");
  test::write_file(path, kHeader + kGood + bad + kGood);
  return path;
}

void expect_bad_row(const std::string& bad_row, const std::string& what, int line = 3) {
  test::TempDir dir;
  std::string path = file_with_bad_row(dir, bad_row);
  std::string err = test::read_error(path);
  EXPECT_EQ(err.rfind(path + ":" + std::to_string(line) + ": ", 0), 0u) << err;
  EXPECT_NE(err.find(what), std::string::npos) << err;
  // Skip mode: the bad row is counted, both good rows are read.
  IngestOptions skip;
  skip.skip_bad_rows = true;
  IngestCounts counts;
  auto batch = test::read_csv({path}, skip, nullptr, &counts);
  EXPECT_EQ(batch.size(), 2u);
  EXPECT_EQ(counts.bad_rows, 1u);
  EXPECT_EQ(counts.rows, 3u);
}

}  // namespace

// A skipped bad row between two users' rows: the good row after it with the bad row's user id
// gets that user, not the previous good row's (consecutive rows of one user share a lookup).
TEST(BadRows, SkippedRowDoesNotLendItsUserToTheNext) {
  test::TempDir dir;
  std::string path = dir.file("users.csv");
  test::write_file(path, kHeader + "1,2,3,pv,1511544070\n" + "7,2,3,pv,never\n" +
                             "7,2,3,pv,1511544071\n" + "7,2,3,pv,1511544072\n" +
                             "\"\",2,3,pv,1511544073\n" + "7,2,3,pv,1511544074\n");
  for (int threads : {1, 2}) {
    IngestOptions skip;
    skip.skip_bad_rows = true;
    skip.threads = threads;
    UserDictionary users;
    const EventBatch b = test::read_csv({path}, skip, &users);
    ASSERT_EQ(b.size(), 4u);
    EXPECT_EQ(users.ids()[b.user[0]], "1");
    for (std::size_t r = 1; r < 4; ++r) EXPECT_EQ(users.ids()[b.user[r]], "7") << r;
  }
}

TEST(BadRows, TooFewAndTooManyFields) {
  expect_bad_row("1,2,3,pv\n", "expected 5 fields, found 4");
  expect_bad_row("1,2,3,pv,1511544070,9\n", "expected 5 fields, found 6");
}

TEST(BadRows, UnparseableTime) {
  expect_bad_row("1,2,3,pv,yesterday\n", "cannot parse time 'yesterday' in column 'timestamp'");
}

TEST(BadRows, UnparseableNumber) {
  test::TempDir dir;
  std::string path = dir.file("r.csv");
  test::write_file(path,
                   "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,"
                   "user_session\n"
                   "2019-10-01 00:00:00 UTC,purchase,1,2,,,12.x,7,s\n");
  std::string err = test::read_error(path);
  EXPECT_EQ(err, path + ":2: cannot parse number '12.x' in column 'price'");
}

TEST(BadRows, InvalidUtf8InAKeyField) {
  expect_bad_row("1,\xC3\x28,3,pv,1511544070\n", "invalid UTF-8 in column 'item_id'");
  expect_bad_row("\xF0\x9F\x98,2,3,pv,1511544070\n", "invalid UTF-8 in column 'user_id'");
}

// A byte that is no UTF-8 at any place of an id of any length up to 20 (the ASCII test reads
// words and overlapping tails): every such row is bad, every clean one is read. One file.
TEST(BadRows, InvalidUtf8AtEveryPlaceOfAnId) {
  std::string text = kHeader;
  std::size_t bad = 0;
  for (int len = 1; len <= 20; ++len) {
    for (int at = 0; at < len; ++at) {
      std::string id(static_cast<std::size_t>(len), 'u');
      id[static_cast<std::size_t>(at)] = '\xFF';
      text += id + ",2,3,pv,1511544070\n" + "1," + id + ",3,pv,1511544070\n" + kGood;
      bad += 2;
    }
  }
  test::TempDir dir;
  const std::string path = dir.file("utf8.csv");
  test::write_file(path, text);
  EXPECT_NE(test::read_error(path).find("invalid UTF-8 in column 'user_id'"), std::string::npos);
  IngestOptions skip;
  skip.skip_bad_rows = true;
  IngestCounts counts;
  const EventBatch batch = test::read_csv({path}, skip, nullptr, &counts);
  EXPECT_EQ(counts.bad_rows, bad);
  EXPECT_EQ(batch.size(), bad / 2);
}

TEST(BadRows, UnterminatedQuoteAtTheEnd) {
  test::TempDir dir;
  std::string path = dir.file("q.csv");
  test::write_file(path, kHeader + kGood + kGood + "\"4,2,3,pv,1511544070\n5,6\n");
  std::string err = test::read_error(path);
  EXPECT_EQ(err, path + ":4: unterminated quoted field");
  IngestOptions skip;
  skip.skip_bad_rows = true;
  IngestCounts counts;
  EXPECT_EQ(test::read_csv({path}, skip, nullptr, &counts).size(), 2u);
  EXPECT_EQ(counts.bad_rows, 1u);
}

TEST(BadRows, LineNumbersCountPhysicalLines) {
  // The quoted newline in row 2 pushes the bad row to physical line 5.
  test::TempDir dir;
  std::string path = dir.file("l.csv");
  test::write_file(path, "u,t,d\n1,1511544070,\"two\nlines\"\n2,1511544070,x\n3,never,y\n");
  IngestOptions o;
  o.column_map = {{"user", "u"}, {"time", "t"}};
  EXPECT_EQ(test::read_error(path, o), path + ":5: cannot parse time 'never' in column 't'");
}

TEST(BadRows, EmptyUserIsSkippedAndCountedNotBad) {
  test::TempDir dir;
  std::string path = dir.file("u.csv");
  test::write_file(path, kHeader + kGood + ",2,3,pv,1511544070\n" + kGood);
  IngestCounts counts;
  auto b = test::read_csv({path}, {}, nullptr, &counts);
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(counts.rows, 3u);
  EXPECT_EQ(counts.rows_without_user, 1u);
  EXPECT_EQ(counts.bad_rows, 0u);
}

TEST(FileErrors, EmptyHeaderOnlyMissingColumnUnreadable) {
  test::TempDir dir;
  std::string empty = dir.file("empty.csv"), header = dir.file("header.csv");
  std::string missing = dir.file("missing.csv"), unknown = dir.file("unknown.csv");
  test::write_file(empty, "");
  test::write_file(header, kHeader + "\n");
  test::write_file(missing,
                   "event_time,event_type,product_id,category_id,category_code,brand,user_id\n"
                   "2019-10-01 00:00:00 UTC,view,1,2,,,7\n");
  test::write_file(unknown, "a,b\n1,2\n");
  EXPECT_EQ(test::read_error(empty), empty + ": empty file");
  EXPECT_EQ(test::read_error(header), header + ": no data rows (header only)");
  IngestOptions rees;
  rees.schema = "rees46";
  EXPECT_EQ(test::read_error(missing, rees),
            missing + ":1: missing column 'price' required by schema rees46");
  EXPECT_NE(test::read_error(unknown).find(unknown + ":1: cannot detect the schema"),
            std::string::npos);
  std::string nofile = dir.file("nope.csv");
  EXPECT_NE(test::read_error(nofile).find(nofile + ": cannot open"), std::string::npos);
  EXPECT_NE(test::read_error(dir.path().string()).find("cannot read"), std::string::npos);
}

TEST(FileErrors, BadMappingIsAUsageError) {
  test::TempDir dir;
  std::string path = dir.file("e.csv");
  test::write_file(path, kHeader + kGood);
  IngestOptions o;
  o.column_map = {{"colour", "user_id"}};
  UserDictionary users;
  EXPECT_THROW(read_all_events({path}, o, users), UsageError);
  o.column_map.clear();
  o.type_map = {{"pv", "glance"}};
  EXPECT_THROW(read_all_events({path}, o, users), UsageError);
  o.type_map.clear();
  o.schema = "parquet";
  EXPECT_THROW(read_all_events({path}, o, users), UsageError);
}

TEST(Gzip, ReadsGzipAndRejectsTruncatedOrCorrupt) {
  test::TempDir dir;
  std::string text = kHeader;
  for (int i = 0; i < 5000; ++i) {
    text += std::to_string(i % 97) + "," + std::to_string(i) + ",3,pv," +
            std::to_string(1511544070 + i) + "\n";
  }
  std::string gz = dir.file("e.csv.gz");
  test::write_gz(gz, text);
  IngestCounts counts;
  auto b = test::read_csv({gz}, {}, nullptr, &counts);
  ASSERT_EQ(b.size(), 5000u);
  EXPECT_EQ(b.time[4999], 1511544070 + 4999);
  EXPECT_EQ(counts.bytes, text.size() - kHeader.size());

  std::string bytes = test::read_file(gz);
  std::string truncated = dir.file("t.csv.gz");
  test::write_file(truncated, bytes.substr(0, bytes.size() / 2));
  for (int threads : {1, 2}) {  // 2: the read-ahead thread must pass the error on
    IngestOptions o;
    o.threads = threads;
    EXPECT_EQ(test::read_error(truncated, o),
              truncated + ": truncated gzip file (unexpected end of file)");
    o.skip_bad_rows = true;
    EXPECT_EQ(test::read_error(truncated, o),
              truncated + ": truncated gzip file (unexpected end of file)");
  }
  IngestOptions two;
  two.threads = 2;
  EXPECT_EQ(test::read_csv({gz}, two).time, b.time);
  std::string corrupt = dir.file("c.csv.gz");
  std::string flipped = bytes;
  for (std::size_t i = 20; i < 60; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
  test::write_file(corrupt, flipped);
  EXPECT_NE(test::read_error(corrupt).find(corrupt + ": "), std::string::npos);
}

TEST(Gzip, ConcatenatedMembersReadAsOneStream) {
  // `cat a.gz b.gz` is a valid gzip file (two members); both halves must be read.
  test::TempDir dir;
  std::string a = dir.file("a.gz"), b = dir.file("b.gz"), ab = dir.file("ab.csv.gz");
  test::write_gz(a, kHeader + kGood);
  test::write_gz(b, "2,2,3,buy,1511544071\n");
  test::write_file(ab, test::read_file(a) + test::read_file(b));
  UserDictionary users;
  auto batch = test::read_csv({ab}, {}, &users);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(users.id(1), "2");
  EXPECT_EQ(batch.type[1], EventType::purchase);
}

TEST(BadRows, CrlfAndBomDoNotShiftLineNumbers) {
  test::TempDir dir;
  std::string path = dir.file("crlf.csv");
  test::write_file(path, "\xEF\xBB\xBFuser_id,item_id,category_id,behavior_type,timestamp\r\n"
                         "1,2,3,pv,1511544070\r\n\r\n1,2,3,pv,later\r\n");
  EXPECT_EQ(test::read_error(path), path + ":4: cannot parse time 'later' in column 'timestamp'");
}

}  // namespace segmint
