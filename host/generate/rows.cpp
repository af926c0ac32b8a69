// RowFormatter and the civil-date conversions it needs (days <-> year/month/day, using the
// era-based closed forms: 400-year eras of 146097 days, years starting in March).
#include "generate/rows.hpp"

#include <cstdio>
#include <cstring>

#include "generate/catalog.hpp"

namespace segmint::gen {
namespace {

constexpr char kDigits2[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "80818283848586878889909192939495969798990";

constexpr std::string_view kTypeText[] = {"view,", "cart,", "remove_from_cart,", "purchase,"};

char* put_uuid(char* p, const std::array<std::uint64_t, 2>& bits) {
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) *p++ = '-';
    std::uint64_t word = bits[static_cast<std::size_t>(i / 16)];
    unsigned nibble = static_cast<unsigned>(word >> (60 - 4 * (i % 16))) & 15u;
    if (i == 12) nibble = 4;                   // UUID version 4 (random)
    if (i == 16) nibble = 8 | (nibble & 3u);   // RFC 4122 variant
    *p++ = hex[nibble];
  }
  return p;
}

char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

/// "HH:MM:SS UTC" of a second of the day.
char* put_clock(char* p, int sec) {
  const char* h = kDigits2 + 2 * (sec / 3600);
  const char* m = kDigits2 + 2 * (sec / 60 % 60);
  const char* s = kDigits2 + 2 * (sec % 60);
  char clock[12] = {h[0], h[1], ':', m[0], m[1], ':', s[0], s[1], ' ', 'U', 'T', 'C'};
  std::memcpy(p, clock, 12);
  return p + 12;
}

}  // namespace

std::string civil_date(std::int64_t day) {
  day += 719468;  // shift the epoch to 0000-03-01
  const std::int64_t era = (day >= 0 ? day : day - 146096) / 146097;
  const std::int64_t doe = day - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

bool parse_civil_date(const std::string& text, std::int64_t& day) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
    return false;
  }
  if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  const std::int64_t yy = y - (m <= 2);
  const std::int64_t era = yy / 400;
  const std::int64_t yoe = yy - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  day = era * 146097 + doe - 719468;
  return civil_date(day) == text;  // rejects 2019-02-30 and the like
}

RowFormatter::RowFormatter(const Window& window) : window_(window) {
  for (int d = 0; d < window.days; ++d) dates_.push_back(civil_date(window.start / 86400 + d) + " ");
}

void RowFormatter::append_time(std::string& out, std::int64_t t) const {
  const std::int64_t rel = t - window_.start;
  char buf[24];
  char* p = put(buf, dates_[static_cast<std::size_t>(rel / 86400)]);
  p = put_clock(p, static_cast<int>(rel % 86400));
  out.append(buf, static_cast<std::size_t>(p - buf));
}

void RowFormatter::append(std::string& out, const GenUser& user, const std::string& user_id) const {
  const Catalog& catalog = Catalog::get();
  // Rows are written through a pointer into space reserved for the longest possible row, then
  // the string is cut to what was written: no per-field capacity checks.
  const std::size_t row_max = 24 + 18 + catalog.max_fields() + user_id.size() + 1 + 36 + 1;
  std::size_t used = out.size();
  out.resize(used + row_max * user.events.size());
  char* const begin = &out[0] + used;
  char* p = begin;
  for (const GenEvent& e : user.events) {
    const std::int64_t rel = e.time - window_.start;
    p = put(p, dates_[static_cast<std::size_t>(rel / 86400)]);
    p = put_clock(p, static_cast<int>(rel % 86400));
    *p++ = ',';
    p = put(p, kTypeText[static_cast<int>(e.type)]);
    p = put(p, catalog.fields(e.product));
    p = put(p, user_id);
    *p++ = ',';
    p = put_uuid(p, user.sessions[e.session]);
    *p++ = '\n';
  }
  out.resize(used + static_cast<std::size_t>(p - begin));
}

}  // namespace segmint::gen
