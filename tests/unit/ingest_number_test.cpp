// parse_number against std::from_chars, bit for bit, on fresh random decimals: its fast path
// for plain decimals (m / 10^f with m <= 2^53) must give the correctly rounded double every time,
// and whatever the fast path leaves (long mantissas, exponents, inf, nan) must still parse as
// from_chars parses it, or fail as it fails.
#include <gtest/gtest.h>

#include <charconv>
#include <cstring>
#include <random>
#include <string>

#include "ingest/row_parse.hpp"

namespace segmint::ingest {
namespace {

// from_chars' verdict on s as parse_number reads a cell (trimmed, '+' dropped, empty = 0).
bool reference(std::string s, double& out) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.empty()) return out = 0, true;
  if (s.front() == '+') s.erase(s.begin());
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

void expect_same(const std::string& s) {
  double got = -1, want = -2;
  const bool ok = parse_number(s, got), ref = reference(s, want);
  ASSERT_EQ(ok, ref) << "'" << s << "'";
  if (ok) {
    EXPECT_EQ(std::memcmp(&got, &want, sizeof got), 0) << "'" << s << "' " << got << " " << want;
  }
}

TEST(ParseNumber, RandomDecimalsAreFromCharsBitForBit) {
  std::mt19937_64 gen(20261204);
  std::uniform_int_distribution<int> len(1, 22), digit(0, 9), coin(0, 9);
  for (int q = 0; q < 200000; ++q) {
    std::string s;
    if (coin(gen) == 0) s += '-';
    if (coin(gen) == 0) s += '+';
    const int n = len(gen);
    const int point = coin(gen) < 7 ? static_cast<int>(gen() % (n + 1)) : -1;
    for (int i = 0; i < n; ++i) {
      if (i == point) s += '.';
      s += static_cast<char>('0' + digit(gen));
    }
    if (point == n) s += '.';
    expect_same(s);
  }
}

TEST(ParseNumber, EdgesOfTheFastPath) {
  for (const char* s : {"0",
                        "-0",
                        "-0.00",
                        "0.1",
                        ".5",
                        "5.",
                        ".",
                        "-",
                        "+",
                        "",
                        "  12.50 ",
                        "+7",
                        "-+7",
                        "1.2.3",
                        "9007199254740992",
                        "9007199254740993",
                        "-9007199254740993.5",
                        "1234567890123456789",
                        "12345678901234567890",
                        "0.0000000000000000001",
                        "0.00000000000000000001",
                        "1e5",
                        "2.5E-3",
                        "inf",
                        "-nan",
                        "0x10",
                        "12a",
                        "1,5",
                        "4503599627370497.5",
                        "55.00"})
    expect_same(s);
}

}  // namespace
}  // namespace segmint::ingest
