// The CSV state machine: quoting, embedded separators and newlines, CRLF, BOM, chunk seams.
#include <gtest/gtest.h>

#include <random>

#include "ingest/csv_scan.hpp"
#include "ingest/csv_source.hpp"
#include "ingest_test_util.hpp"

namespace segmint::ingest {
namespace {

std::vector<std::vector<std::string>> scan(const std::string& text,
                                           std::vector<std::uint64_t>* lines = nullptr,
                                           std::vector<std::string>* errors = nullptr) {
  std::deque<std::string> arena;
  RecordScanner s(text.data(), text.data() + text.size(), &arena);
  Record r;
  std::vector<std::vector<std::string>> out;
  while (s.next(r)) {
    out.emplace_back(r.fields.begin(), r.fields.end());
    if (lines) lines->push_back(r.line);
    if (errors) errors->push_back(r.error ? r.error : "");
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST(CsvScan, PlainFieldsAndEmptyFields) {
  EXPECT_EQ(scan("a,b,c\n1,,3\n"), (Rows{{"a", "b", "c"}, {"1", "", "3"}}));
  EXPECT_EQ(scan("x,\n"), (Rows{{"x", ""}}));
}

TEST(CsvScan, QuotedCommaQuoteAndNewline) {
  std::vector<std::uint64_t> lines;
  auto rows = scan("id,desc\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,x\n", &lines);
  EXPECT_EQ(rows, (Rows{{"id", "desc"}, {"1", "a, b"}, {"2", "say \"hi\""}, {"3", "two\nlines"},
                        {"4", "x"}}));
  // Record 4 starts after line 4's newline; the embedded newline makes record "4,x" line 6.
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{0, 1, 2, 3, 5}));
}

TEST(CsvScan, CrlfBlankLinesAndMissingFinalNewline) {
  EXPECT_EQ(scan("a,b\r\n\r\n1,\"2\"\r\n\n3,4"), (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(scan("a,\"b\r\nc\"\r\n"), (Rows{{"a", "b\r\nc"}}));
}

TEST(CsvScan, WideRecordsLeaveTheFastPathIntact) {
  // 40 fields: more than the one-pass fast path collects; the general path takes over.
  std::string line;
  std::vector<std::string> want;
  for (int i = 0; i < 40; ++i) {
    line += (i ? "," : "") + std::to_string(i);
    want.push_back(std::to_string(i));
  }
  EXPECT_EQ(scan(line + "\r\n" + line), (Rows{want, want}));
}

TEST(CsvScan, LenientQuotesInsideFields) {
  // A quote not at a field start is data; text after a closing quote is kept.
  EXPECT_EQ(scan("5\" screen,x\n\"ab\"cd,y\n"), (Rows{{"5\" screen", "x"}, {"abcd", "y"}}));
}

TEST(CsvScan, UnterminatedQuoteIsAnError) {
  std::vector<std::string> errors;
  auto rows = scan("1,ok\n2,\"never closed\n3,x\n", nullptr, &errors);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "unterminated quoted field");
}

// Random records (plain, quoted with separators, newlines and "" inside, literal quotes mid-field,
// empty fields, fields across 64-byte blocks, more fields than the fast path holds, CRLF and
// blank lines) scan to the fields they were written from, with every byte-scan width.
TEST(CsvScan, EveryScanWidthSplitsRandomRecordsAsWritten) {
  std::mt19937_64 gen(20261204);
  auto pick = [&](int n) { return static_cast<int>(gen() % static_cast<std::uint64_t>(n)); };
  const std::string plain = "abcxyz0189 .:-_";
  for (int text_no = 0; text_no < 6; ++text_no) {
    std::string text;
    Rows want;
    for (int rec = 0; rec < 300; ++rec) {
      const int nf = pick(10) == 0 ? 33 + pick(8) : 1 + pick(12);
      std::vector<std::string> fields;
      for (int f = 0; f < nf; ++f) {
        const int len = pick(6) == 0 ? 60 + pick(80) : pick(12);
        std::string v, raw;
        if (pick(5) == 0) {  // quoted: separators, newlines and escaped quotes are data
          for (int i = 0; i < len; ++i) {
            const int k = pick(12);
            const char c = k == 0 ? ',' : k == 1 ? '\n' : k == 2 ? '"' : plain[pick(15)];
            v += c;
            raw += c == '"' ? "\"\"" : std::string(1, c);
          }
          raw = "\"" + raw + "\"";
        } else {
          for (int i = 0; i < len; ++i) v += i > 0 && pick(20) == 0 ? '"' : plain[pick(15)];
          raw = v;
        }
        text += (f ? "," : "") + raw;
        fields.push_back(v);
      }
      // A lone empty field would be a blank line (skipped): give it a second field.
      if (nf == 1 && fields[0].empty()) {
        text += ",x";
        fields.push_back("x");
      }
      want.push_back(fields);
      text += pick(4) == 0 ? "\r\n" : "\n";
      if (pick(15) == 0) text += "\n";
    }
    for (CpuIsa isa : {CpuIsa::baseline, CpuIsa::avx2, CpuIsa::avx512}) {
      if (isa > best_cpu_isa()) continue;
      force_scan_isa(isa);
      const Rows got = scan(text);
      reset_scan_isa();
      ASSERT_EQ(got, want) << "text " << text_no << ", scan isa " << static_cast<int>(isa);
    }
  }
}

TEST(CsvScan, BoundariesSkipQuotedNewlines) {
  std::string text = "a,\"x\ny\"\nb,c\n";
  std::vector<std::size_t> splits;
  EXPECT_EQ(find_boundaries(text.data(), text.size(), {1, 9}, splits), text.size());
  // From offset 1 the first record boundary is after "a,\"x\ny\"\n" (offset 8), not at 5.
  EXPECT_EQ(splits, (std::vector<std::size_t>{8, 12}));
  // A partial record at the end is not cut into.
  std::string partial = "a,b\nc,\"d\ne";
  EXPECT_EQ(find_boundaries(partial.data(), partial.size(), {}, splits), 4u);
}

TEST(CsvSource, BomCrlfAndQuotedFieldsThroughTheReader) {
  test::TempDir dir;
  std::string path = dir.file("e.csv");
  test::write_file(path,
                   "\xEF\xBB\xBFuser,time,type,item\r\n"
                   "\"u,1\",2019-10-01 00:00:00,view,\"item \"\"A\"\"\"\r\n"
                   "u2,2019-10-01 00:00:01,\"pur\nchase\",B\r\n");
  IngestOptions o;
  o.column_map = {{"user", "user"}, {"time", "time"}, {"type", "type"}, {"item", "item"}};
  UserDictionary users;
  auto b = test::read_csv({path}, o, &users);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(users.id(0), "u,1");
  EXPECT_EQ(b.item[0], key_of("item \"A\""));
  EXPECT_EQ(b.type[0], EventType::view);
  EXPECT_EQ(b.type[1], EventType::other);  // "pur\nchase" is no known type
  EXPECT_EQ(b.time[1], 1569888001);
}

TEST(CsvSource, ChunkSeamsDoNotChangeRecords) {
  // Tiny chunks force records (and a quoted newline) to straddle chunk seams.
  test::TempDir dir;
  std::string path = dir.file("e.csv");
  std::string text = "user,time,type,item\n";
  for (int i = 0; i < 300; ++i) {
    text += "u" + std::to_string(i % 17) + ",2019-10-01 00:00:" + (i % 60 < 10 ? "0" : "") +
            std::to_string(i % 60) + ",view,\"it,em\n" + std::to_string(i) + "\"\n";
  }
  test::write_file(path, text);
  IngestOptions o;
  o.column_map = {{"user", "user"}, {"time", "time"}, {"type", "type"}, {"item", "item"}};
  auto saved = CsvSource::chunk_bytes_per_thread;
  CsvSource::chunk_bytes_per_thread = 7;
  IngestCounts counts;
  auto b = test::read_csv({path}, o, nullptr, &counts);
  CsvSource::chunk_bytes_per_thread = saved;
  ASSERT_EQ(b.size(), 300u);
  EXPECT_EQ(b.item[299], key_of("it,em\n299"));
  EXPECT_EQ(b.time[61], 1569888001);
  EXPECT_EQ(counts.bytes, text.size() - 20);  // data bytes after the 20-byte header
}

}  // namespace segmint::ingest
