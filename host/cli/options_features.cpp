// Feature options: --as-of, --session-gap, --tz-offset, --features, --weights, and the scaling
// options --transform, --balance, --winsor-tail, --heavy-fence.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "cli/options.hpp"
#include "outputs/model.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {

bool parse_int(const std::string& s, long long& out) {
  if (s.empty()) return false;
  const char* b = s.data() + (s[0] == '+' ? 1 : 0);
  auto res = std::from_chars(b, s.data() + s.size(), out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

/// "2024-01-31", "2024-01-31 12:00:00", "2024-01-31T12:00:00Z" (UTC) or unix seconds.
std::int64_t parse_as_of(const std::string& text) {
  long long v = 0;
  if (parse_int(text, v)) {
    if (!valid_event_time(v)) {
      throw UsageError("--as-of: " + text + " is outside the years 0000 to 9999");
    }
    return v;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, n = 0;
  const char* c = text.c_str();
  bool ok = std::sscanf(c, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && (n == 10);
  if (ok && text.size() > 10) {
    int m = 0;
    ok = (text[10] == ' ' || text[10] == 'T') &&
         std::sscanf(c + 11, "%2d:%2d:%2d%n", &h, &mi, &s, &m) == 3 && m == 8 &&
         (text.size() == 19 || (text.size() == 20 && text[19] == 'Z'));
  }
  if (!ok || y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 ||
      h < 0 || mi < 0 || s < 0) {
    throw UsageError("--as-of: expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS' (UTC) or unix seconds, "
                     "got '" + text + "'");
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + s;
}

/// "+02:00", "-05:30", "+0200" or minutes ("120", "-300"); within +-14 hours.
int parse_tz_offset(const std::string& text) {
  long long minutes = 0;
  bool ok = parse_int(text, minutes);
  if (!ok && text.size() >= 5 && (text[0] == '+' || text[0] == '-')) {
    std::string digits;
    for (std::size_t i = 1; i < text.size(); ++i) {
      if (text[i] != ':' || i != 3) digits += text[i];
    }
    long long hh = 0, mm = 0;
    ok = digits.size() == 4 && std::isdigit(static_cast<unsigned char>(digits[0])) &&
         parse_int(digits.substr(0, 2), hh) && parse_int(digits.substr(2), mm) && mm < 60;
    minutes = (hh * 60 + mm) * (text[0] == '-' ? -1 : 1);
  }
  if (!ok || minutes < -14 * 60 || minutes > 14 * 60) {
    throw UsageError("--tz-offset: expected +HH:MM, -HH:MM or minutes within 14 hours, got '" +
                     text + "'");
  }
  return static_cast<int>(minutes);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text + ",") {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (!std::isspace(static_cast<unsigned char>(ch))) {
      cur += ch;
    }
  }
  return out;
}

/// A finite number (the range is checked where the option is used).
double parse_real(const std::string& text, const std::string& option) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v)) {
    throw UsageError(option + ": expected a number, got '" + text + "'");
  }
  return v;
}

}  // namespace

void add_scaling_options(cxxopts::Options& options, const std::string& transform_default,
                         const std::string& group) {
  auto transform = cxxopts::value<std::string>();
  if (!transform_default.empty()) transform->default_value(transform_default);
  const std::string kinds = pipeline::transform_names();
  options.add_options(group)(
      "transform", transform_default.empty() ? kinds + " (default: see above)" : kinds, transform)(
      "balance", "groups: weigh each feature group by its independent directions | none",
      cxxopts::value<std::string>()->default_value("groups"))(
      "winsor-tail", "log1p-winsor: share of users clipped at each end",
      cxxopts::value<std::string>()->default_value("0.01"))(
      "heavy-fence", "heavy users: log1p(activity) above Q3 + this many IQRs (0: none)",
      cxxopts::value<std::string>()->default_value("2"));
}

TransformOptions scaling_options_from(const cxxopts::ParseResult& r,
                                      const std::string& transform_default) {
  TransformOptions t;
  // count() is 0 for a registered default too, which then equals transform_default.
  t.kind = pipeline::parse_transform(r.count("transform") ? r["transform"].as<std::string>()
                                                          : transform_default);
  const std::string balance = r["balance"].as<std::string>();
  if (balance != "groups" && balance != "none") {
    throw UsageError("--balance: expected groups or none, got '" + balance + "'");
  }
  t.balance_groups = balance == "groups";
  t.winsor_tail = parse_real(r["winsor-tail"].as<std::string>(), "--winsor-tail");
  t.heavy_fence = parse_real(r["heavy-fence"].as<std::string>(), "--heavy-fence");
  return t;
}

void add_feature_options(cxxopts::Options& options, const std::string& transform_default) {
  options.add_options("features")(
      "as-of", "reference time for recency/tenure: YYYY-MM-DD[ HH:MM:SS] UTC or unix seconds "
               "(default: latest event)", cxxopts::value<std::string>())(
      "session-gap", "minutes of inactivity that end a session (when no session id)",
      cxxopts::value<std::string>()->default_value("30"))(
      "tz-offset", "local time offset for day parts and days: +HH:MM or minutes",
      cxxopts::value<std::string>()->default_value("0"))(
      "features", "comma list of feature groups or names to cluster on (default all)",
      cxxopts::value<std::string>())(
      "weights", "comma list name=weight scaling features after standardising",
      cxxopts::value<std::string>());
  add_scaling_options(options, transform_default, "features");
}

FeatureCliOptions feature_options_from(const cxxopts::ParseResult& r,
                                       const std::string& transform_default) {
  FeatureCliOptions o;
  if (r.count("as-of")) o.features.as_of = parse_as_of(r["as-of"].as<std::string>());
  const std::string gap = r["session-gap"].as<std::string>();
  long long minutes = 0;
  if (!parse_int(gap, minutes) || minutes <= 0 || minutes > 100LL * 365 * 24 * 60) {
    throw UsageError("--session-gap: expected a positive number of minutes, got '" + gap + "'");
  }
  o.aggregate.session_gap_seconds = minutes * 60;
  o.aggregate.tz_offset_minutes = parse_tz_offset(r["tz-offset"].as<std::string>());
  o.transform = scaling_options_from(r, transform_default);
  if (r.count("features")) o.transform.select = split_list(r["features"].as<std::string>());
  if (r.count("weights")) {
    for (const auto& item : split_list(r["weights"].as<std::string>())) {
      auto eq = item.find('=');
      char* end = nullptr;
      double w = eq == std::string::npos ? NAN : std::strtod(item.c_str() + eq + 1, &end);
      if (eq == 0 || eq == std::string::npos || end == item.c_str() + eq + 1 || *end != '\0' ||
          !std::isfinite(w) || w < 0) {
        throw UsageError("--weights: expected name=weight (weight >= 0), got '" + item + "'");
      }
      o.transform.weights.emplace_back(item.substr(0, eq), static_cast<float>(w));
    }
  }
  return o;
}

}  // namespace segmint::cli
