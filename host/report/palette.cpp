// Colour scales for the report.
#include "report/palette.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace segmint::report {
namespace {

struct Rgb {
  double r, g, b;
};

Rgb parse(const std::string& hex) {
  unsigned r = 0, g = 0, b = 0;
  if (hex.size() == 7) std::sscanf(hex.c_str() + 1, "%2x%2x%2x", &r, &g, &b);
  return {double(r), double(g), double(b)};
}

std::string hex(Rgb c) {
  char buf[8];
  auto ch = [](double v) { return static_cast<unsigned>(std::clamp(std::lround(v), 0L, 255L)); };
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", ch(c.r), ch(c.g), ch(c.b));
  return buf;
}

// ColorBrewer RdBu (11 classes), blue end first: safe for the common colour-vision deficiencies
// and readable in grey print.
constexpr std::array<const char*, 11> kRdBu = {"#053061", "#2166ac", "#4393c3", "#92c5de",
                                               "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582",
                                               "#d6604d", "#b2182b", "#67001f"};

}  // namespace

std::string segment_colour(std::size_t index) {
  // Okabe & Ito (2008) without black, then Paul Tol's "muted" for larger k.
  static constexpr std::array<const char*, 12> kColours = {
      "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
      "#f0e442", "#332288", "#117733", "#882255", "#999933", "#888888"};
  return kColours[index % kColours.size()];
}

std::string diverging_colour(double z, double limit) {
  if (!std::isfinite(z)) z = 0;
  double t = std::clamp(z / limit, -1.0, 1.0);  // -1 .. 1
  double pos = (t + 1) / 2 * (kRdBu.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(pos));
  std::size_t hi = std::min(lo + 1, kRdBu.size() - 1);
  double f = pos - static_cast<double>(lo);
  Rgb a = parse(kRdBu[lo]), b = parse(kRdBu[hi]);
  return hex({a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f});
}

std::string text_colour_on(const std::string& background) {
  Rgb c = parse(background);
  // Relative luminance (sRGB approximated by a 2.2 gamma) against the midpoint of contrast.
  auto lin = [](double v) { return std::pow(v / 255.0, 2.2); };
  double y = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  return y > 0.18 ? "#111111" : "#ffffff";
}

}  // namespace segmint::report
