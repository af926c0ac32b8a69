// CSV field quoting and number formatting shared by every text output.
#include "common/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace segmint {

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string csv_field(std::string_view field) {
  std::string out;
  append_csv_field(out, field);
  return out;
}

std::string format_number(double x) {
  if (x == 0) return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

namespace {

// Writes v in std::to_chars(float)'s shortest form for 2^-14 <= |v| < 2^23 when v is not a whole
// number (what most feature values are) and returns the end; returns nullptr elsewhere (the
// caller then writes over whatever it wrote). to_chars took ~31 ns a value, most of the render of
// features.csv. Checked against to_chars on all 2^32 floats (text_output_test samples them).
//
// Digits: the fewest that round back to v, nearest v, ties to even. v is exact in fixed point
// with 39 fractional bits; the fraction's digits come one at a time until the prefix ending in
// the digit d (or d + 1) lies in v's rounding interval (Steele & White's free-format test, exact
// in 64-bit integers). No whole number lies in that interval here (the gap between floats is at
// most 1/2 and v is a non-integer multiple of it), so every digit of the integer part is kept.
// The digits go straight into the fixed form; scientific (to_chars' choice when strictly
// shorter: only below 1e-3) rewrites them.
char* write_shortest_fraction(char* p, float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  const int biased = static_cast<int>(bits >> 23 & 0xff);
  if (biased < 127 - 14 || biased > 127 + 22) return nullptr;
  const int e = biased - 150;  // v = m 2^e, e in [-37, -1]
  const std::uint64_t m = (bits & 0x7fffff) | 0x800000;
  constexpr int kF = 39;
  constexpr std::uint64_t kOne = std::uint64_t{1} << kF, kMask = kOne - 1;
  const std::uint64_t fixed = m << (kF + e);
  std::uint64_t r = fixed & kMask;
  if (r == 0) return nullptr;  // a whole number
  const auto whole = static_cast<std::uint32_t>(fixed >> kF);
  // Half the gaps to the neighbouring floats, in units of 2^-39 (below a power of two the gap
  // is half as wide). An even mantissa wins ties, so the interval's ends then round to v.
  std::uint64_t up = std::uint64_t{1} << (kF + e - 1);
  std::uint64_t down = m == 0x800000 ? up >> 1 : up;
  const std::uint64_t closed = (m & 1) == 0;
  if (bits >> 31) *p++ = '-';
  char* const first = p;
  p = whole ? std::to_chars(p, p + 8, whole).ptr : (*p = '0', p + 1);
  *p++ = '.';
  char* const frac = p;
  for (;;) {
    r *= 10, up *= 10, down *= 10;
    unsigned d = static_cast<unsigned>(r >> kF);
    r &= kMask;
    const bool low = r < down + closed;      // the prefix ending in d is in the interval
    const bool high = r + up + closed > kOne;  // the one ending in d + 1 is
    if (!low && !high) {
      *p++ = static_cast<char>('0' + d);
      continue;
    }
    if (high && (!low || 2 * r > kOne || (2 * r == kOne && d % 2 == 1))) ++d;  // the nearer
    *p++ = static_cast<char>('0' + d);
    break;
  }
  for (char* q = p - 1; *q > '9';) {  // d + 1 = 10 carries
    *q-- = '0';
    if (*q == '.') --q;
    if (q < first) return nullptr;  // a longer whole part: a whole number (never, see above)
    ++*q;
  }
  while (p[-1] == '0') --p;
  if (p[-1] == '.') return nullptr;  // a whole number (never, see above)
  if (whole) return p;  // fixed: scientific is never shorter from 1 up
  const char* lead = frac;
  while (*lead == '0') ++lead;
  const int zeros = static_cast<int>(lead - frac), n = static_cast<int>(p - lead);
  if (p - first <= n + (n > 1 ? 1 : 0) + 4) return p;  // fixed is not longer: it stays
  char digits[16];  // d[.ddd]e-XX
  for (int i = 0; i < n; ++i) digits[i] = lead[i];
  p = first;
  *p++ = digits[0];
  if (n > 1) *p++ = '.';
  for (int i = 1; i < n; ++i) *p++ = digits[i];
  *p++ = 'e';
  *p++ = '-';
  *p++ = static_cast<char>('0' + (zeros + 1) / 10);
  *p++ = static_cast<char>('0' + (zeros + 1) % 10);
  return p;
}

}  // namespace

char* write_shortest(char* p, float v) {
  // Whole numbers below 1e5 in magnitude (counts, zeros: half of a features table) are their
  // digits, which is what the shortest form is for them (fixed wins ties with scientific, and
  // "10000" ties "1e+04"); the integer conversion is several times cheaper. -0 keeps its sign.
  if (v > -1e5f && v < 1e5f) {
    const int i = static_cast<int>(v);
    if (static_cast<float>(i) == v && !(i == 0 && std::signbit(v))) {
      return std::to_chars(p, p + kShortestMaxBytes, i).ptr;
    }
  }
  if (char* end = write_shortest_fraction(p, v)) return end;
  return std::to_chars(p, p + kShortestMaxBytes, v).ptr;
}

void append_shortest(std::string& out, float v) {
  char buf[kShortestMaxBytes];
  out.append(buf, write_shortest(buf, v));
}

std::string group_thousands(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace segmint
