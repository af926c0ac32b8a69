// The text-output kit (host/common/text.hpp), the one features.csv writer and the one centroid
// CSV reader.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/text.hpp"
#include "ingest/matrix_csv.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

TEST(TextKit, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  std::string out = "x,";
  append_csv_field(out, "c\rd");
  EXPECT_EQ(out, "x,\"c\rd\"");
}

TEST(TextKit, NumberFormats) {
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(100.25), "100.25");
  for (float v : {1.0f / 3.0f, 1e-7f, -123456.789f, 3.4e38f, 0.1f}) {
    std::string s;
    append_shortest(s, v);
    EXPECT_EQ(std::strtof(s.c_str(), nullptr), v) << s;
  }
  std::string s;
  append_shortest(s, 0.1f);
  EXPECT_EQ(s, "0.1");  // shortest, not %.9g's 0.100000001
}

// std::to_chars' shortest text of v: what write_shortest must write.
std::string to_chars_text(float v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Whole numbers take a faster path: every float it covers (and its edges) must still give
// std::to_chars' shortest form byte for byte, -0 included.
TEST(TextOutput, ShortestWholeNumbersAreToCharsBytes) {
  std::vector<float> values{-0.0f,      0.0f,     99999.0f,  -99999.0f, 100000.0f,
                            -100000.0f, 99999.5f, 0.5f,      -0.5f,     1e-45f,
                            12345.0f,   10000.0f, 99998.99f, 1e5f,      16777216.0f};
  values.push_back(std::nextafter(1e5f, 0.0f));
  values.push_back(std::nextafter(-1e5f, 0.0f));
  for (int i = -100000; i <= 100000; ++i) values.push_back(static_cast<float>(i));
  for (float v : values) {
    std::string s;
    append_shortest(s, v);
    ASSERT_EQ(s, to_chars_text(v)) << "value " << v;
  }
}

// The fraction path (2^-14 <= |v| < 2^23, not whole) and everything around it give to_chars'
// bytes: every float of the path's first and last binades (stride 29), of the binades around 1e-3
// and 1e-4 (where scientific takes over) and 2^20 random bit patterns.
void expect_to_chars_bytes(std::uint32_t bits) {
  float v;
  std::memcpy(&v, &bits, sizeof v);
  char buf[32];
  std::memset(buf, 'x', sizeof buf);
  const char* end = write_shortest(buf, v);
  ASSERT_EQ(std::string(buf, static_cast<std::size_t>(end - buf)), to_chars_text(v)) << std::hex << bits;
  ASSERT_EQ(buf[kShortestMaxBytes], 'x') << std::hex << bits;
}

TEST(TextOutput, ShortestFractionsAreToCharsBytes) {
  for (std::uint32_t biased : {112u, 113u, 116u, 117u, 118u, 149u, 150u})
    for (std::uint32_t m = 0; m < (1u << 23); m += 29)
      for (std::uint32_t sign : {0u, 1u << 31}) expect_to_chars_bytes(sign | biased << 23 | m);
  std::mt19937 gen(11);
  for (int i = 0; i < (1 << 20); ++i) expect_to_chars_bytes(static_cast<std::uint32_t>(gen()));
}

// All 2^32 floats (~4 minutes on two cores): --gtest_also_run_disabled_tests.
TEST(TextOutput, DISABLED_AllFloatsAreToCharsBytes) {
  for (std::uint64_t bits = 0; bits < (std::uint64_t{1} << 32); ++bits)
    expect_to_chars_bytes(static_cast<std::uint32_t>(bits));
}

// write_shortest (features.csv's rows) fits kShortestMaxBytes for every kind of float: random
// bit patterns (subnormals, extremes, negatives) and the longest forms there are.
TEST(TextOutput, WriteShortestFitsItsBoundOnRandomFloats) {
  std::mt19937 gen(42);
  std::vector<float> values{-1.17549435e-38f, -3.40282347e38f, -1.4e-45f, -1.23456789e-30f};
  for (int i = 0; i < 300000; ++i) {
    const std::uint32_t bits = gen();
    float v;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isfinite(v)) values.push_back(v);
  }
  for (float v : values) {
    char buf[kShortestMaxBytes + 8];
    std::memset(buf, 'x', sizeof buf);
    char* end = write_shortest(buf, v);
    ASSERT_LE(end - buf, kShortestMaxBytes) << v;
    ASSERT_EQ(buf[kShortestMaxBytes], 'x');  // nothing past the bound
    std::string s;
    append_shortest(s, v);
    ASSERT_EQ(std::string(buf, end), s);
    float back = 0;
    std::from_chars(buf, end, back);
    ASSERT_EQ(std::memcmp(&back, &v, sizeof v), 0) << s;
  }
}

TEST(FeaturesCsv, FileWriterStreamsTheSameBytesAsTheStringAndRoundTrips) {
  // Enough rows to span several 1 MiB chunks of the streaming writer.
  UserDictionary users;
  FeatureMatrix raw;
  raw.cols = 3;
  raw.names = {"a", "b,c", "d"};
  for (int i = 0; i < 40000; ++i) {
    users.intern("user-" + std::to_string((i * 7919) % 40000));
    for (int j = 0; j < 3; ++j) raw.values.push_back(std::ldexp(1.0f + i * 1e-5f, j - i % 40));
  }
  raw.rows = users.size();
  TempDir dir;
  write_features_csv(dir.file("f.csv"), raw, users);
  const std::string text = read_file(dir.file("f.csv"));
  EXPECT_GT(text.size(), 1u << 20);  // more than one chunk
  EXPECT_EQ(text, features_csv(raw, users));
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "user_id,a,\"b,c\",d");
  const std::vector<std::uint32_t> order = users.sorted_order();
  std::getline(in, line);
  const std::size_t u = order.front();
  std::istringstream row(line);
  std::string field;
  std::getline(row, field, ',');
  EXPECT_EQ(field, users.id(static_cast<std::uint32_t>(u)));
  for (std::size_t j = 0; j < 3; ++j) {
    std::getline(row, field, ',');
    EXPECT_EQ(std::strtof(field.c_str(), nullptr), raw.at(u, j)) << "exact round trip";
  }
}

// AtomicFile starts the disk write every MiB of write(): the file's bytes stay exactly what was
// written, in order, also mixed with writes through stream(); nothing appears before commit.
TEST(AtomicFile, EarlyDiskWritesKeepEveryByteInOrder) {
  TempDir dir;
  const std::string path = dir.file("out.bin");
  std::mt19937 rng(7);
  std::string want;
  {
    AtomicFile f(path);
    for (int piece = 0; piece < 40; ++piece) {
      std::string bytes(1 + rng() % 300000, '\0');
      for (auto& c : bytes) c = static_cast<char>(rng());
      f.write(bytes);
      want += bytes;
      if (piece % 7 == 3) {
        std::fputs("via stream\n", f.stream());
        want += "via stream\n";
      }
    }
    EXPECT_GT(want.size(), 3u << 20);
    EXPECT_FALSE(std::filesystem::exists(path));
    f.commit();
  }
  EXPECT_EQ(read_file(path), want);
}

TEST(CentroidsCsv, AnyRowCountAndKnownColumnsThatAreNotClustered) {
  TempDir dir;
  const std::string f = dir.file("c.csv");
  write_file(f, "\xEF\xBB\xBFsegment,b,x,a\r\n0,2,9,1\r\n1,4,9,3\r\n2,6,9,5\r\n");
  int rows = 0;
  EXPECT_EQ(read_centroids_csv(f, {"a", "b"}, 0, {"x"}, &rows),
            (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(rows, 3);
  // A known but unclustered column must still hold numbers.
  write_file(f, "a,x\n1,oops\n");
  try {
    read_centroids_csv(f, {"a"}, 0, {"x"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("c.csv:2: 'oops' in column 'x'"), std::string::npos)
        << e.what();
  }
  write_file(f, "a,a\n1,2\n");
  EXPECT_THROW(read_centroids_csv(f, {"a"}, 0), InputError);  // duplicate header
  write_file(f, "a\n");
  EXPECT_THROW(read_centroids_csv(f, {"a"}, 0), InputError);  // no rows
  write_file(f, "a\n1e39\n");
  EXPECT_THROW(read_centroids_csv(f, {"a"}, 0), InputError);  // beyond float range
}

}  // namespace
}  // namespace segmint::test
