// Every timestamp form the presets meet, with hand-computed unix seconds.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ingest/timestamp.hpp"

namespace segmint::ingest {

// 2019-10-01 00:00:00 UTC = 18170 days * 86400 = 1569888000.
constexpr std::int64_t kOct1 = 1569888000;

TEST(Timestamp, DaysFromCivil) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2019, 10, 1), 18170);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
}

TEST(Timestamp, Rees46WithUtcSuffix) {
  EXPECT_EQ(parse_timestamp("2019-10-01 00:00:00 UTC"), kOct1);
  EXPECT_EQ(parse_timestamp("2019-10-01 02:50:07 UTC"), kOct1 + 2 * 3600 + 50 * 60 + 7);
}

TEST(Timestamp, PlainDateTimeAndMinutesAndDate) {
  // Online Retail II: 2010-12-01 08:26:00 = 14944 days.
  EXPECT_EQ(parse_timestamp("2010-12-01 08:26:00"), 14944LL * 86400 + 8 * 3600 + 26 * 60);
  EXPECT_EQ(parse_timestamp("2010-12-01 08:26"), 14944LL * 86400 + 8 * 3600 + 26 * 60);
  EXPECT_EQ(parse_timestamp("2010-12-01"), 14944LL * 86400);
}

TEST(Timestamp, OnlineRetailOneMonthDayYear) {
  EXPECT_EQ(parse_timestamp("12/1/2010 8:26"), 14944LL * 86400 + 8 * 3600 + 26 * 60);
  EXPECT_EQ(parse_timestamp("12/01/2010 08:26:30"), 14944LL * 86400 + 8 * 3600 + 26 * 60 + 30);
  EXPECT_EQ(parse_timestamp("1/9/2011 17:05"), 14983LL * 86400 + 17 * 3600 + 5 * 60);
}

TEST(Timestamp, Iso8601ZoneAndFraction) {
  EXPECT_EQ(parse_timestamp("2019-10-01T00:00:00"), kOct1);
  EXPECT_EQ(parse_timestamp("2019-10-01T00:00:00Z"), kOct1);
  EXPECT_EQ(parse_timestamp("2019-10-01T00:00:00.123Z"), kOct1);
  EXPECT_EQ(parse_timestamp("2019-10-01T00:00:59.999999999"), kOct1 + 59);
  EXPECT_EQ(parse_timestamp("2019-10-01T02:00:00+02:00"), kOct1);
  EXPECT_EQ(parse_timestamp("2019-10-01T02:00:00+0200"), kOct1);
  EXPECT_EQ(parse_timestamp("2019-09-30T19:00:00-05:00"), kOct1);
  EXPECT_EQ(parse_timestamp("2019-10-01T05:30:00+05:30"), kOct1);
  EXPECT_EQ(parse_timestamp("2019-10-01T01:00:00+01"), kOct1);
}

TEST(Timestamp, UnixSecondsAndMilliseconds) {
  EXPECT_EQ(parse_timestamp("1511544070"), 1511544070);        // Taobao
  EXPECT_EQ(parse_timestamp("1433221332117"), 1433221332);     // RetailRocket (ms)
  EXPECT_EQ(parse_timestamp("100000000000"), 100000000000LL);  // exactly 1e11: still seconds
  EXPECT_EQ(parse_timestamp("0"), 0);
  EXPECT_EQ(parse_timestamp(" 1511544070 "), 1511544070);
}

TEST(Timestamp, RejectsMalformedAndOutOfRange) {
  for (const char* bad : {"", "   ", "yesterday", "2019-13-01 00:00:00", "2019-02-30",
                          "2019-02-29", "2019-10-01 24:00:00", "2019-10-01 10:61:00",
                          "2019-10-01X10:00:00", "2019-10-01 10:00:00 CEST", "13/1/2010 8:26",
                          "12/1/10 8:26", "2019-10-01T00:00:00+25:00", "12345678901234567890",
                          "1e9", "-5", "2019-10-01 00:00:00 UTC extra"}) {
    EXPECT_FALSE(parse_timestamp(bad).has_value()) << bad;
  }
  EXPECT_TRUE(parse_timestamp("2020-02-29").has_value());  // leap year
}

TEST(Timestamp, FormatRoundTrips) {
  char buf[32];
  EXPECT_EQ(format_timestamp(kOct1 + 3661, buf), "2019-10-01 01:01:01");
  EXPECT_EQ(format_timestamp(0, buf), "1970-01-01 00:00:00");
  EXPECT_EQ(format_timestamp(951782400, buf), "2000-02-29 00:00:00");
}

}  // namespace segmint::ingest

namespace segmint::ingest {

// parse_timestamp_after against parse_timestamp on fresh random pairs: same day and zone (the
// fast path), other days, zones, forms, fractions, leading spaces and invalid clocks.
TEST(Timestamp, AfterAPreviousOneEqualsAFullParse) {
  std::mt19937_64 rng(11);
  const char* suffixes[] = {"", " UTC", "Z", "+02:00", "-0530", ".250", ".5 UTC", " UTC "};
  auto two = [](int v) {
    char b[3] = {static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10), 0};
    return std::string(b);
  };
  auto make = [&](bool slash) {
    const int y = rng() % 20 ? 2019 : 9999, m = 1 + static_cast<int>(rng() % 12);
    const int d = 1 + static_cast<int>(rng() % 31);  // some invalid dates
    const int h = static_cast<int>(rng() % 26), mi = static_cast<int>(rng() % 61);
    const int s = static_cast<int>(rng() % 62);  // some out of range
    std::string date = slash ? two(m) + "/" + two(d) + "/" + std::to_string(y)
                             : std::to_string(y) + "-" + two(m) + "-" + two(d);
    std::string t = date + (rng() % 2 ? " " : "T") + two(h) + ":" + two(mi) + ":" + two(s) +
                    suffixes[rng() % 8];
    if (rng() % 16 == 0) t = " " + t;
    if (rng() % 32 == 0) t[12] = 'x';
    // Any clock byte replaced by a byte next to the digits or the colon (the fast path's shape
    // check must refuse exactly what read_clock refuses).
    if (rng() % 16 == 0) t[11 + rng() % 8] = "/0:9;x. "[rng() % 8];
    return t;
  };
  int fast = 0;
  for (int k = 0; k < 200000; ++k) {
    const bool slash = rng() % 4 == 0;
    std::string prev = make(slash);
    const auto pv = parse_timestamp(prev);
    if (!pv) continue;
    std::string text = prev;
    if (rng() % 4) {  // same day and zone, another clock (sometimes invalid)
      const std::string other = make(slash);
      if (other.size() >= 19) text.replace(11, 8, other.substr(11, 8));
    } else {
      text = make(slash);
    }
    fast += text.compare(0, 11, prev, 0, 11) == 0;
    ASSERT_EQ(parse_timestamp_after(text, prev, *pv), parse_timestamp(text))
        << "'" << text << "' after '" << prev << "'";
  }
  EXPECT_GT(fast, 10000);
}

}  // namespace segmint::ingest
