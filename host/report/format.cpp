// Formatting numbers for the report.
#include "report/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/text.hpp"

namespace segmint::report {
namespace {

constexpr const char* kMinus = "\xE2\x88\x92";  // U+2212 MINUS SIGN

/// Groups the integer part of an unsigned decimal string ("13782.87" -> "13,782.87").
std::string group(const std::string& digits) {
  const std::size_t dot = digits.find('.');
  if (std::min(dot, digits.size()) > 19) return digits;  // beyond 64 bits: leave as it is
  const std::string rest = dot == std::string::npos ? "" : digits.substr(dot);
  return group_thousands(std::stoull(digits.substr(0, dot))) + rest;
}

}  // namespace

std::string format_count(std::int64_t n) {
  const bool neg = n < 0;
  // Via unsigned so INT64_MIN has a magnitude.
  std::uint64_t mag = neg ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  std::string g = group(std::to_string(mag));
  return neg ? kMinus + g : g;
}

std::string format_decimal(double x, int decimals) {
  if (!std::isfinite(x))
    return std::isnan(x) ? "n/a" : (x > 0 ? "\xE2\x88\x9E" : "\xE2\x88\x92\xE2\x88\x9E");
  if (decimals < 0) decimals = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(x));
  std::string g = group(buf);
  bool zero = true;
  for (char c : g) zero = zero && (c == '0' || c == '.' || c == ',');
  return (x < 0 && !zero) ? kMinus + g : g;
}

std::string format_percent(double share) {
  double p = share * 100;
  if (p == 0) return "0%";
  int decimals = std::fabs(p) < 1 ? 2 : 1;
  if (std::fabs(p - 100) < 0.05) return "100%";
  return format_decimal(p, decimals) + "%";
}

std::string format_amount(double x) {
  double a = std::fabs(x);
  int decimals = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  std::string s = format_decimal(x, decimals);
  // "4.10" -> "4.1", "2.00" -> "2": trailing zeros say nothing to a reader.
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string format_in_unit(double x, const std::string& unit) {
  if (unit == "ratio") return format_percent(x);
  if (unit == "days") return format_amount(x) + (std::fabs(x) == 1 ? " day" : " days");
  if (unit == "minutes") return format_amount(x) + " min";
  return format_amount(x);
}

}  // namespace segmint::report
