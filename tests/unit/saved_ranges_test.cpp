// A matching checksum proves integrity, not sanity (issue 13, defect 6): crafted event stores
// and saved aggregates with valid checksums but impossible times, counts or money are rejected
// with InputError naming the file, before any overflowing arithmetic runs.
#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

#include "features_fixture.hpp"
#include "segmint/event_store.hpp"
#include "store/store_reader.hpp"
#include "store/checksum.hpp"
#include "store/store_format.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

std::uint64_t fnv1a(const char* p, std::size_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 1099511628211ull;
  return h;
}

// Byte offset of user 0's first_event in a saved table (see table_io.cpp's layout).
constexpr std::size_t kUser0 = 8 + 4 + 8 + 4 + 8;
constexpr std::size_t kFirstEvent = kUser0 + 8 * (kEventTypeCount + 2 + 4 + 2);
constexpr std::size_t kMoneyCancel = kUser0 + 8 * (kEventTypeCount + 2 + 4 + 1);

std::string saved_table() {
  Log log;
  log.add(0, kT0, EventType::purchase, 10, "i", "c", "s", "o").add(1, kT0 + kDay, EventType::view);
  UserTable t;
  t.add(log.batch);
  std::ostringstream out;
  t.save(out);
  return out.str();
}

// Overwrites 8 bytes at `offset` and fixes the checksum, as a crafted file would.
std::string patched(std::string bytes, std::size_t offset, std::int64_t value) {
  std::memcpy(&bytes[offset], &value, 8);
  const std::uint64_t sum = fnv1a(bytes.data(), bytes.size() - 8);
  std::memcpy(&bytes[bytes.size() - 8], &sum, 8);
  return bytes;
}

std::string load_error(const std::string& bytes) {
  std::istringstream in(bytes);
  try {
    UserTable::load(in, "state/table.bin");
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

TEST(SavedRanges, TableWithImpossibleTimeIsRejected) {
  const std::string good = saved_table();
  ASSERT_EQ(load_error(good), "");
  // Year -146691524686 and friends: before the fix these reached feature_math's subtractions.
  for (std::int64_t t : {std::int64_t{-4629316569052006400}, kMaxEventTime + 1, INT64_MIN + 1}) {
    const std::string err = load_error(patched(good, kFirstEvent, t));
    EXPECT_NE(err.find("state/table.bin: user table is corrupt: user 0"), std::string::npos) << err;
  }
}

TEST(SavedRanges, TableWithNegativeCancelledMoneyIsRejected) {
  const std::string err = load_error(patched(saved_table(), kMoneyCancel, -5));
  EXPECT_NE(err.find("money"), std::string::npos) << err;
}

// A store whose first event's time is rewritten, with every checksum recomputed.
TEST(SavedRanges, StoreWithImpossibleTimeIsRejected) {
  TempDir dir;
  const std::string path = dir.file("s.sgm");
  UserDictionary users;
  Log log;
  for (int i = 0; i < 50; ++i) log.add(static_cast<std::uint32_t>(i % 7), kT0 + i, EventType::view);
  for (int i = 0; i < 7; ++i) users.intern("u" + std::to_string(i));
  VectorSource source({log.batch});
  write_event_store(source, users, path);
  std::string bytes = read_file(path);
  auto* p = reinterpret_cast<unsigned char*>(&bytes[0]);
  unsigned char* head = p + store::kHeaderBytes;
  const std::size_t rows = store::get32(head + 4);
  unsigned char* time = head + store::kChunkHeaderBytes + store::column_offset(rows, 1);
  store::put64(time, static_cast<std::uint64_t>(std::int64_t{-4629316569052006400}));
  store::put64(head + 8 + 8 * 1, store::checksum64(time, rows * 8));
  store::put64(head + 72, store::checksum64(head, 72));
  write_file(path, bytes);
  try {
    UserDictionary again;
    auto src = open_event_store(path, IngestOptions{}, again);
    EventBatch b;
    while (src->next(b)) {
    }
    FAIL() << "the crafted store was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("event time out of range"), std::string::npos) << e.what();
  }
}

TEST(SavedRanges, StoreTrailerWithImpossibleValuesIsRejected) {
  TempDir dir;
  const std::string path = dir.file("t.sgm");
  UserDictionary users;
  users.intern("a");
  Log log;
  log.add(0, kT0, EventType::view).add(0, kT0 + 5, EventType::cart);
  VectorSource source({log.batch});
  write_event_store(source, users, path);
  const std::string good = read_file(path);
  auto with_trailer = [&](auto change) {
    std::string bytes = good;
    unsigned char tail[store::kTrailerBytes];
    std::memcpy(tail, bytes.data() + bytes.size() - store::kTrailerBytes, store::kTrailerBytes);
    store::Trailer t;
    EXPECT_TRUE(store::decode_trailer(tail, t));
    change(t);
    store::encode_trailer(t, tail);
    std::memcpy(&bytes[bytes.size() - store::kTrailerBytes], tail, store::kTrailerBytes);
    write_file(path, bytes);
    try {
      UserDictionary again;
      open_event_store(path, IngestOptions{}, again);
      return std::string();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
  };
  EXPECT_NE(with_trailer([](store::Trailer& t) { t.max_time = INT64_MAX; }).find("time range"),
            std::string::npos);
  EXPECT_NE(with_trailer([](store::Trailer& t) { t.bad_rows = ~0ull; }).find("counts"),
            std::string::npos);
  EXPECT_NE(with_trailer([](store::Trailer& t) { t.by_type[0] += 1; }).find("counts"),
            std::string::npos);
}

}  // namespace
}  // namespace segmint::test
