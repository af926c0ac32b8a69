// CSV field quoting and number formatting shared by every text output.
#include "common/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

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
