// Naming rules: each rule is a few z-score conditions on named features (with aliases, so it
// degrades gracefully when the feature set differs) and a strength used to rank matches.
#include "profile/naming.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>

namespace segmint::pipeline {
namespace {

/// One condition: sign * z(first present alias) >= min. Guards limit a rule without adding to
/// its strength (e.g. "Loyal" must not be long gone, but being recent is not what makes it).
struct Term {
  std::vector<const char*> aliases;
  double sign;
  double min;
  bool guard = false;
};

/// Descriptive names (habits, basket shape) count half: a segment that is both Loyal and
/// mostly shops in the morning is first of all Loyal, which is what a marketer acts on.
struct Rule {
  const char* name;
  std::vector<Term> terms;
  bool descriptive = false;
};

const std::vector<const char*> kRecency = {"recency_days", "days_since_last_event"};
const std::vector<const char*> kInactive = {"days_since_last_event", "recency_days"};
const std::vector<const char*> kFrequency = {"frequency", "purchases"};
const std::vector<const char*> kPurchases = {"purchases", "frequency"};
const std::vector<const char*> kMonetary = {"monetary"};
const std::vector<const char*> kOrderValue = {"avg_order_value"};
const std::vector<const char*> kTenure = {"tenure_days"};

const std::vector<Rule>& rules() {
  static const std::vector<Rule> r = {
      {"Champions", {{kRecency, -1, 0.5}, {kFrequency, 1, 0.5}, {kMonetary, 1, 0.5}}},
      {"Loyal", {{kFrequency, 1, 0.5}, {kTenure, 1, 0.3}, {kRecency, -1, -0.5, true}}},
      // Big Spenders buy big but not often (frequent big buyers are Champions or Loyal).
      {"Big Spenders",
       {{kOrderValue, 1, 0.8}, {kMonetary, 1, 0.0, true}, {kFrequency, -1, -0.5, true}}},
      {"New", {{kTenure, -1, 0.8}, {kRecency, -1, -0.5, true}}},
      {"At Risk", {{kRecency, 1, 0.5}, {kFrequency, 1, 0.3}}},
      {"Dormant", {{kInactive, 1, 0.8}, {kFrequency, -1, -0.3, true}}},
      {"Cart Abandoners", {{{"cart_abandonment_rate"}, 1, 0.8}}},
      {"Window Shoppers", {{{"views"}, 1, 0.5}, {kPurchases, -1, 0.3}}},
      {"Night Owls", {{{"night_share"}, 1, 1.0}}, true},
      {"Bargain Hunters", {{kOrderValue, -1, 0.8}, {kFrequency, 1, 0.3}}},
      {"Weekend Shoppers", {{{"weekend_share"}, 1, 1.0}}, true},
      {"Early Birds", {{{"morning_share"}, 1, 1.0}}, true},
      {"Evening Shoppers", {{{"evening_share"}, 1, 1.0}}, true},
      {"Big Baskets", {{{"events_per_session"}, 1, 0.8}, {kPurchases, 1, 0.0, true}}, true},
      {"Periodic Buyers", {{{"mean_days_between_orders"}, 1, 1.0}}, true},
      {"Email Engaged", {{{"email_click_rate", "email_open_rate"}, 1, 1.0}}, true},
      // Explorers buy across many categories; browsing widely without buying is window shopping.
      {"Explorers",
       {{{"distinct_categories", "category_entropy"}, 1, 1.0}, {kPurchases, 1, -0.3, true}},
       true},
      {"Frequent Returners", {{{"cancellation_rate"}, 1, 1.0}}},
      {"Occasional Buyers",
       {{kFrequency, -1, 0.5}, {kMonetary, -1, 0.5}, {kInactive, -1, -0.8, true}}},
  };
  return r;
}

std::optional<double> z_of(const Profiles& p, const SegmentProfile& s,
                           const std::vector<const char*>& aliases) {
  for (const char* a : aliases) {
    int j = feature_index(p.features, a);
    if (j >= 0) return s.z[static_cast<std::size_t>(j)];
  }
  return std::nullopt;
}

/// Strength of `rule` on segment `s`, or nullopt when a condition fails or a feature is absent.
std::optional<double> strength(const Profiles& p, const SegmentProfile& s, const Rule& rule) {
  double sum = 0;
  int scored = 0;
  for (const Term& t : rule.terms) {
    std::optional<double> z = z_of(p, s, t.aliases);
    if (!z && t.guard) continue;  // a guard on an absent feature cannot object
    if (!z || t.sign * *z < t.min) return std::nullopt;
    if (!t.guard) {
      sum += t.sign * *z;
      ++scored;
    }
  }
  double mean = scored ? sum / scored : 0;
  return rule.descriptive ? 0.5 * mean : mean;
}

std::string letter_name(std::size_t id) {
  if (id < 26) return std::string("Segment ") + static_cast<char>('A' + id);
  return "Segment " + std::to_string(id + 1);
}

/// "High x" / "Low x" from the largest |z| (first feature on ties), or "Segment A".
std::string fallback_name(const Profiles& p, const SegmentProfile& s, std::size_t id) {
  int best = -1;
  for (std::size_t j = 0; j < s.z.size(); ++j) {
    if (best < 0 || std::fabs(s.z[j]) > std::fabs(s.z[static_cast<std::size_t>(best)])) {
      best = static_cast<int>(j);
    }
  }
  if (best < 0 || std::fabs(s.z[static_cast<std::size_t>(best)]) < 0.5) return letter_name(id);
  return (s.z[static_cast<std::size_t>(best)] > 0 ? "High " : "Low ") +
         p.features[static_cast<std::size_t>(best)];
}

}  // namespace

std::vector<std::pair<std::string, double>> top_traits(const Profiles& profiles,
                                                       const SegmentProfile& segment, int count) {
  std::vector<std::size_t> order(segment.z.size());
  for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(segment.z[a]) > std::fabs(segment.z[b]);
  });
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t i = 0; i < order.size() && static_cast<int>(i) < count; ++i) {
    if (segment.z[order[i]] == 0) break;
    out.emplace_back(profiles.features[order[i]], segment.z[order[i]]);
  }
  return out;
}

std::vector<std::string> name_segments(const Profiles& profiles) {
  return name_segments(profiles, {});
}

std::vector<std::string> name_segments(const Profiles& profiles,
                                       const std::vector<std::string>& keep) {
  const auto& rs = rules();
  const std::size_t k = profiles.segments.size();
  auto kept = [&](std::size_t c) { return c < keep.size() && !keep[c].empty(); };
  // (strength desc, segment asc, rule asc): a total order, so naming is deterministic.
  std::vector<std::tuple<double, std::size_t, std::size_t>> matches;
  std::vector<int> best_rule(k, -1);
  std::vector<double> best_strength(k, 0);
  for (std::size_t c = 0; c < k; ++c) {
    if (profiles.segments[c].size == 0 || kept(c)) continue;
    for (std::size_t r = 0; r < rs.size(); ++r) {
      auto st = strength(profiles, profiles.segments[c], rs[r]);
      if (!st) continue;
      matches.emplace_back(*st, c, r);
      if (best_rule[c] < 0 || *st > best_strength[c]) {
        best_rule[c] = static_cast<int>(r);
        best_strength[c] = *st;
      }
    }
  }
  std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) < std::get<1>(b);
    return std::get<2>(a) < std::get<2>(b);
  });
  std::vector<std::string> names(k);
  std::vector<bool> rule_used(rs.size(), false);
  for (std::size_t c = 0; c < k; ++c) {
    if (!kept(c)) continue;
    names[c] = keep[c];
    for (std::size_t r = 0; r < rs.size(); ++r) {
      if (keep[c] == rs[r].name) rule_used[r] = true;
    }
  }
  for (const auto& [st, c, r] : matches) {
    if (!names[c].empty() || rule_used[r]) continue;
    names[c] = rs[r].name;
    rule_used[r] = true;
  }
  // Leftovers take their best rule's name or a fallback; repeats (a second "Champions", two
  // "High x") get " 2", " 3", ... in segment id order, never renaming a greedy match.
  std::set<std::string> used;
  for (const auto& n : names) {
    if (!n.empty()) used.insert(n);
  }
  for (std::size_t c = 0; c < k; ++c) {
    if (!names[c].empty()) continue;
    std::string base = best_rule[c] >= 0 ? rs[static_cast<std::size_t>(best_rule[c])].name
                                         : fallback_name(profiles, profiles.segments[c], c);
    names[c] = base;
    for (int n = 2; used.count(names[c]); ++n) names[c] = base + " " + std::to_string(n);
    used.insert(names[c]);
  }
  return names;
}

}  // namespace segmint::pipeline
