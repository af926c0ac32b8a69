// Damaged event stores are rejected with InputError naming the file and the damage: truncation
// at any point, a flipped byte anywhere, a foreign file, another format version.
#include <gtest/gtest.h>

#include "store/store_reader.hpp"
#include "segmint/event_store.hpp"
#include "store/checksum.hpp"
#include "store/store_format.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

/// Writes a store with a few thousand random events in several chunks; returns its bytes.
std::string make_store(const std::string& path) {
  std::mt19937_64 rng(42);
  UserDictionary users;
  auto batches = random_batches(rng, 4, 3000, users);
  VectorSource source(batches);
  write_event_store(source, users, path);
  return read_file(path);
}

/// Opens and reads all of `path` (with `threads` reader threads; 0: all); returns the
/// InputError message, or "" when it read fine.
std::string read_error(const std::string& path, int threads = 0) {
  try {
    UserDictionary users;
    IngestOptions options;
    options.threads = threads;
    auto source = open_event_store(path, options, users);
    EventBatch batch;
    while (source->next(batch)) {
    }
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(StoreCorrupt, TruncatedAtAnyOffsetIsRejected) {
  TempDir dir;
  std::string bytes = make_store(dir.file("ok.sgm"));
  ASSERT_EQ(read_error(dir.file("ok.sgm")), "");
  std::vector<std::size_t> cuts = {0, 3, 7, 8, 31, 32, 100, bytes.size() / 2,
                                   bytes.size() - store::kTrailerBytes, bytes.size() - 9,
                                   bytes.size() - 1};
  for (std::size_t cut : cuts) {
    std::string path = dir.file("cut" + std::to_string(cut) + ".sgm");
    write_file(path, bytes.substr(0, cut));
    std::string err = read_error(path);
    EXPECT_TRUE(contains(err, path + ": ")) << cut << ": " << err;
    // A cut inside the magic bytes leaves something that is not recognisably a store.
    if (cut >= 4) {
      EXPECT_TRUE(contains(err, "truncated")) << cut << ": " << err;
    }
  }
}

TEST(StoreCorrupt, FlippedByteIsAChecksumError) {
  TempDir dir;
  std::string bytes = make_store(dir.file("ok.sgm"));
  std::size_t dict_at = store::get64(reinterpret_cast<const unsigned char*>(
      bytes.data() + bytes.size() - store::kTrailerBytes + 8));
  std::size_t rows0 = store::get32(reinterpret_cast<const unsigned char*>(bytes.data() + 36));
  std::size_t time_at = store::kHeaderBytes + store::kChunkHeaderBytes + store::pad8(4 * rows0) +
                        8 * (rows0 / 2) + 3;
  std::vector<std::size_t> positions = {
      17,                                       // header: max chunk rows
      store::kHeaderBytes + 5,                  // first chunk header: row count
      store::kHeaderBytes + 30,                 // first chunk header: a column checksum
      store::kHeaderBytes + store::kChunkHeaderBytes + 2,  // first chunk: user column
      time_at,                                  // first chunk: the time column
      dict_at + 20,                             // the dictionary
      bytes.size() - store::kTrailerBytes + 50, // trailer: a count
  };
  for (std::size_t pos : positions) {
    ASSERT_LT(pos, bytes.size());
    std::string bad = bytes;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x10);
    std::string path = dir.file("flip" + std::to_string(pos) + ".sgm");
    write_file(path, bad);
    std::string err = read_error(path);
    EXPECT_TRUE(contains(err, path + ": corrupt event store")) << pos << ": " << err;
    EXPECT_TRUE(contains(err, "checksum mismatch")) << pos << ": " << err;
  }
}

// Where chunk c (0-based) starts in a store's bytes.
std::size_t chunk_at(const std::string& bytes, int c) {
  std::size_t at = store::kHeaderBytes;
  for (int i = 0; i < c; ++i) {
    const std::size_t rows = store::get32(reinterpret_cast<const unsigned char*>(bytes.data() + at + 4));
    at += store::kChunkHeaderBytes + store::chunk_body_bytes(rows);
  }
  return at;
}

// The chunks that fit in a batch are read together, but damage is still reported chunk by chunk
// in file order: a damaged column of chunk 0 before a damaged header or column of chunk 1 or 2,
// and a damaged later chunk by its own index, for one reader thread or all.
TEST(StoreCorrupt, DamageIsReportedInChunkOrder) {
  TempDir dir;
  const std::string bytes = make_store(dir.file("ok.sgm"));
  const std::size_t c0 = chunk_at(bytes, 0), c1 = chunk_at(bytes, 1), c2 = chunk_at(bytes, 2);
  ASSERT_LT(c2 + store::kChunkHeaderBytes + 8, bytes.size());
  auto flip = [](std::string b, std::vector<std::size_t> at) {
    for (std::size_t p : at) b[p] = static_cast<char>(b[p] ^ 0x10);
    return b;
  };
  const std::size_t body0 = c0 + store::kChunkHeaderBytes + 1;  // chunk 0's user column
  const std::size_t body2 = c2 + store::kChunkHeaderBytes + 1;
  const struct {
    std::string bytes, want;
  } cases[] = {
      {flip(bytes, {body0, c1 + 30}), "checksum mismatch in column 'user' of chunk 0"},
      {flip(bytes, {body0, body2}), "checksum mismatch in column 'user' of chunk 0"},
      {flip(bytes, {c1 + 30, body2}), "checksum mismatch in the header of chunk 1 at byte " +
                                          std::to_string(c1)},
      {flip(bytes, {body2}), "checksum mismatch in column 'user' of chunk 2 (chunk at byte " +
                                 std::to_string(c2) + ")"},
  };
  int n = 0;
  for (const auto& t : cases) {
    const std::string path = dir.file("order" + std::to_string(n++) + ".sgm");
    write_file(path, t.bytes);
    for (int threads : {1, 0}) {
      const std::string err = read_error(path, threads);
      EXPECT_TRUE(contains(err, t.want)) << n << " threads " << threads << ": " << err;
    }
  }
}

TEST(StoreCorrupt, ForeignFilesAreRejected) {
  TempDir dir;
  for (std::string text : {std::string("event_time,event_type\n1,view\n"), std::string(),
                           std::string("\x1f\x8b\x08\x00gzipped", 11), std::string(300, 'x')}) {
    std::string path = dir.file("foreign.csv");
    write_file(path, text);
    EXPECT_FALSE(is_event_store(path));
    std::string err = read_error(path);
    EXPECT_EQ(err, path + ": not a segmint event store (unknown magic bytes)");
  }
  EXPECT_FALSE(is_event_store(dir.file("missing.sgm")));
  EXPECT_TRUE(contains(read_error(dir.file("missing.sgm")), "missing.sgm: cannot open"));
}

TEST(StoreCorrupt, OtherFormatVersionIsRejected) {
  TempDir dir;
  std::string bytes = make_store(dir.file("ok.sgm"));
  auto* head = reinterpret_cast<unsigned char*>(bytes.data());
  store::put32(head + 8, 2);
  store::put64(head + 24, store::checksum64(head, 24));  // a well-formed version-2 header
  std::string path = dir.file("v2.sgm");
  write_file(path, bytes);
  EXPECT_EQ(read_error(path), path + ": event store format version 2 is not supported (this "
                                     "build reads version 1)");
}

// Rewrites byte `at` of column `c` of the first chunk to `value` and re-signs the column and the
// chunk header, so only the reader's sanity checks (not its checksums) can catch it.
void forge_first_chunk(std::string& bytes, int c, std::size_t at, unsigned char value) {
  auto* head = reinterpret_cast<unsigned char*>(bytes.data() + store::kHeaderBytes);
  const std::size_t rows = store::get32(head + 4);
  unsigned char* col = head + store::kChunkHeaderBytes + store::column_offset(rows, c);
  col[at] = value;
  store::put64(head + 8 + 8 * c, store::checksum64(col, rows * store::kColumnWidth[c]));
  store::put64(head + 72, store::checksum64(head, 72));
}

// The columns are read and checked on all threads; the damage reported is the one a serial walk
// meets first (user, type, time, amount), whatever the thread count.
TEST(StoreCorrupt, ForgedValuesAreRejectedInColumnOrder) {
  TempDir dir;
  const std::string bytes = make_store(dir.file("ok.sgm"));
  const std::size_t rows = store::get32(
      reinterpret_cast<const unsigned char*>(bytes.data() + store::kHeaderBytes + 4));
  auto check = [&](const std::string& bad, const std::string& want) {
    const std::string path = dir.file("forged.sgm");
    write_file(path, bad);
    for (int threads : {1, 2, 3}) {
      const std::string err = read_error(path, threads);
      EXPECT_TRUE(contains(err, path + ": corrupt event store")) << threads << ": " << err;
      EXPECT_TRUE(contains(err, want)) << threads << ": " << err;
    }
  };
  std::string type = bytes;
  forge_first_chunk(type, 2, rows - 1, 200);  // event type 200 at the chunk's last row
  check(type, "invalid event type in chunk 0");
  std::string both = type;
  forge_first_chunk(both, 0, 3, 0xff);  // and a user index far past the dictionary
  check(both, "user index out of range in chunk 0");
  std::string amount = type;  // an amount of 2^1023 (bytes 6-7 of a little-endian double)
  forge_first_chunk(amount, 3, 8 * 5 + 7, 0x7f);
  forge_first_chunk(amount, 3, 8 * 5 + 6, 0xe0);
  check(amount, "invalid event type in chunk 0");  // type comes before amount
  ASSERT_NE(rows % 8, 0u) << "make_store's first chunk must leave padding after its type column";
  {  // a nonzero byte in the type column's padding
    std::string pad = bytes;
    auto* col = reinterpret_cast<unsigned char*>(pad.data() + store::kHeaderBytes +
                                                 store::kChunkHeaderBytes +
                                                 store::column_offset(rows, 2));
    col[rows] = 1;
    check(pad, "nonzero padding after column 'type' of chunk 0");
  }
}

TEST(StoreCorrupt, FailedWriteLeavesNoFile) {
  TempDir dir;
  UserDictionary users;
  EventBatch b;
  b.push_back(7, 1, EventType::view, 0, 1, 1, 1, 1);  // user 7 is not in the dictionary
  VectorSource source({b});
  EXPECT_THROW(write_event_store(source, users, dir.file("x.sgm")), RuntimeError);
  EXPECT_TRUE(list_dir(dir.path().string()).empty());
}

}  // namespace
}  // namespace segmint::test
