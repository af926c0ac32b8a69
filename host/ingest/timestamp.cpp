// Hand-written timestamp parser: a few fixed shapes, no locale, no allocation.
#include "ingest/timestamp.hpp"

#include <cstdio>

#include "ingest/same_bytes.hpp"
#include "segmint/events.hpp"

namespace segmint::ingest {
namespace {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max_digits digits at p; advances p. False when there is no digit.
bool read_int(const char*& p, const char* e, int min_digits, int max_digits, int& out) {
  int v = 0, n = 0;
  while (p < e && n < max_digits && is_digit(*p)) {
    v = v * 10 + (*p - '0');
    ++p;
    ++n;
  }
  out = v;
  return n >= min_digits;
}

bool expect(const char*& p, const char* e, char c) {
  if (p < e && *p == c) {
    ++p;
    return true;
  }
  return false;
}

bool valid_date(int y, int m, int d) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  if (d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

// "HH:MM[:SS[.fff]]" at p (hour 1 or 2 digits).
bool read_clock(const char*& p, const char* e, int& h, int& mi, int& s) {
  s = 0;
  if (!read_int(p, e, 1, 2, h) || !expect(p, e, ':') || !read_int(p, e, 2, 2, mi)) return false;
  if (expect(p, e, ':')) {
    if (!read_int(p, e, 2, 2, s)) return false;
    if (expect(p, e, '.')) {
      int frac;
      if (!read_int(p, e, 1, 9, frac)) return false;
      while (p < e && is_digit(*p)) ++p;  // more than 9 fraction digits: ignore the rest
    }
  }
  return h <= 23 && mi <= 59 && s <= 60;
}

// Optional zone suffix: "", " UTC", "Z", " Z", "+hh:mm", "-hhmm", "+hh". Sets offset seconds.
bool read_zone(const char*& p, const char* e, int& offset) {
  offset = 0;
  if (p < e && *p == ' ') ++p;
  if (p == e) return true;
  if (*p == 'Z' && p + 1 == e) return ++p, true;
  if (e - p == 3 && p[0] == 'U' && p[1] == 'T' && p[2] == 'C') return p = e, true;
  if (*p != '+' && *p != '-') return false;
  int sign = *p == '-' ? -1 : 1;
  ++p;
  int hh = 0, mm = 0;
  if (!read_int(p, e, 2, 2, hh)) return false;
  if (expect(p, e, ':')) {
    if (!read_int(p, e, 2, 2, mm)) return false;
  } else if (p < e && !read_int(p, e, 2, 2, mm)) {
    return false;
  }
  if (hh > 23 || mm > 59) return false;
  offset = sign * (hh * 3600 + mm * 60);
  return true;
}

std::int64_t to_unix(int y, int m, int d, int h, int mi, int s, int offset) {
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + s - offset;
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  // Era-based civil-date arithmetic (400-year cycles of 146097 days).
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept {
  const char* p = text.data();
  const char* e = p + text.size();
  while (p < e && *p == ' ') ++p;
  while (e > p && e[-1] == ' ') --e;
  if (p == e) return std::nullopt;

  // Digits only: unix seconds or milliseconds.
  const char* q = p;
  while (q < e && is_digit(*q)) ++q;
  if (q == e) {
    if (e - p > 18) return std::nullopt;
    std::int64_t v = 0;
    for (const char* r = p; r < e; ++r) v = v * 10 + (*r - '0');
    if (v > 100000000000LL) v /= 1000;
    if (!valid_event_time(v)) return std::nullopt;
    return v;
  }

  int y, m, d, h = 0, mi = 0, s = 0, offset = 0;
  if (q - p == 4 && *q == '-') {  // YYYY-MM-DD...
    if (!read_int(p, e, 4, 4, y) || !expect(p, e, '-') || !read_int(p, e, 2, 2, m) ||
        !expect(p, e, '-') || !read_int(p, e, 2, 2, d))
      return std::nullopt;
    if (p < e) {
      if (*p != 'T' && *p != ' ') return std::nullopt;
      ++p;
      if (!read_clock(p, e, h, mi, s)) return std::nullopt;
    }
  } else if (*q == '/') {  // M/D/YYYY H:MM[:SS]
    if (!read_int(p, e, 1, 2, m) || !expect(p, e, '/') || !read_int(p, e, 1, 2, d) ||
        !expect(p, e, '/') || !read_int(p, e, 4, 4, y))
      return std::nullopt;
    if (p < e) {
      if (*p != ' ') return std::nullopt;
      ++p;
      if (!read_clock(p, e, h, mi, s)) return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (!valid_date(y, m, d) || !read_zone(p, e, offset) || p != e) return std::nullopt;
  const std::int64_t t = to_unix(y, m, d, h, mi, s, offset);
  if (!valid_event_time(t)) return std::nullopt;
  return t;
}

namespace {

// Seconds of day of a clock "HH:MM:SS" that read_clock reads from exactly the 8 bytes at c; -1
// when it is not one. (Only two-digit hours fill the 8 bytes: "H:MM:SS" stops read_clock at 7.)
// Straight-line: read_clock's digit loops were ~4% of a CSV run's samples, called twice a row.
int clock8(const char* c) noexcept {
  auto digit = [c](int i) { return static_cast<unsigned>(static_cast<unsigned char>(c[i])) - '0'; };
  const unsigned h1 = digit(0), h0 = digit(1), m1 = digit(3), m0 = digit(4), s1 = digit(6),
                 s0 = digit(7);
  const bool shape = (h1 <= 9) & (h0 <= 9) & (m1 <= 9) & (m0 <= 9) & (s1 <= 9) & (s0 <= 9) &
                     (c[2] == ':') & (c[5] == ':');
  const int h = static_cast<int>(h1 * 10 + h0), mi = static_cast<int>(m1 * 10 + m0),
            s = static_cast<int>(s1 * 10 + s0);
  return shape && h <= 23 && mi <= 59 && s <= 60 ? h * 3600 + mi * 60 + s : -1;
}

}  // namespace

std::optional<std::int64_t> parse_timestamp_after(std::string_view text, std::string_view prev,
                                                  std::int64_t prev_value) noexcept {
  // Same 11 bytes before the clock (date and separator, or M/D/YYYY with two-digit month and
  // day) and the same bytes after it: both are tokenised alike, so only the clocks differ.
  constexpr std::size_t kClock = 11, kAfter = 19;
  const std::size_t n = text.size();
  if (n >= kAfter && n == prev.size() && same_bytes(text.data(), prev.data(), kClock) &&
      same_bytes(text.data() + kAfter, prev.data() + kAfter, n - kAfter)) {
    const int was = clock8(prev.data() + kClock), now = clock8(text.data() + kClock);
    if (was >= 0 && now >= 0) {
      const std::int64_t t = prev_value - was + now;
      if (valid_event_time(t)) return t;
    }
  }
  return parse_timestamp(text);
}

std::string_view format_timestamp(std::int64_t t, char (&buf)[32]) noexcept {
  std::int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  std::int64_t sec = t - days * 86400;
  // Inverse of days_from_civil.
  std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld",
                        static_cast<long long>(y), m, d, static_cast<long long>(sec / 3600),
                        static_cast<long long>(sec / 60 % 60), static_cast<long long>(sec % 60));
  return std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace segmint::ingest
