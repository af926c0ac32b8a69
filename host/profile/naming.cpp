// Naming: scores every (segment, rule) pair of naming_rules() and hands out names strongest
// first, each once; leftovers take their best rule's name or a fallback.
#include "profile/naming.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>

#include "profile/naming_rules.hpp"
#include "segmint/features.hpp"

namespace segmint::pipeline {
namespace {

constexpr double kHabitKnee = 2.0;

/// A feature is informative when some segment differs from the population on it: a column
/// that is constant on the data (no prices, no views) has z = 0 everywhere and says nothing.
bool informative(const Profiles& p, std::size_t j) {
  for (const auto& s : p.segments) {
    if (j < s.z.size() && s.z[j] != 0) return true;
  }
  return false;
}

/// The value a term looks at, for the first alias that can supply it; nullopt when none can.
std::optional<double> term_value(const Profiles& p, const SegmentProfile& s, const Term& t) {
  for (const char* a : t.aliases) {
    int jj = feature_index(p.features, a);
    if (jj < 0) continue;
    auto j = static_cast<std::size_t>(jj);
    switch (t.kind) {
      case TermKind::z:
        if (informative(p, j)) return s.z[j];
        break;
      case TermKind::raw:
        if (j < s.mean.size()) return s.mean[j];
        break;
      case TermKind::share:
        if (j < s.mean.size() && j < p.population_mean.size() && p.population_mean[j] > 0) {
          return s.mean[j] / p.population_mean[j];
        }
        break;
    }
  }
  return std::nullopt;
}

/// Strength of `rule` on segment `s`, or nullopt when a condition fails or a required feature
/// is absent.
std::optional<double> strength(const Profiles& p, const SegmentProfile& s, const Rule& rule) {
  double sum = 0;
  int scored = 0;
  for (const Term& t : rule.terms) {
    std::optional<double> v = term_value(p, s, t);
    if (!v && t.role != Term::scored) continue;  // guards and optional terms may be absent
    if (!v || t.sign * *v < t.min) return std::nullopt;
    if (t.role != Term::guard && t.kind == TermKind::z) {
      double z = t.sign * *v;
      // A habit (weight < 1) counts fully up to z = 2 and a tenth beyond: a handful of users
      // with an extreme habit must not outrank what they are worth (3 users far ahead on
      // orders and spend are Champions first).
      if (rule.weight < 1 && z > kHabitKnee) z = kHabitKnee + 0.1 * (z - kHabitKnee);
      sum += z;
      ++scored;
    }
  }
  if (scored == 0) return std::nullopt;
  return rule.weight * sum / scored;
}

std::string letter_name(std::size_t id) {
  if (id < 26) return std::string("Segment ") + static_cast<char>('A' + id);
  return "Segment " + std::to_string(id + 1);
}

/// "High x" / "Low x" from the largest |z| (first feature on ties) when x is a column of the
/// user's own table; a letter when x is one of segmint's features (never a raw column name) or
/// nothing stands out.
std::string fallback_name(const Profiles& p, const SegmentProfile& s, std::size_t id) {
  int best = -1;
  for (std::size_t j = 0; j < s.z.size(); ++j) {
    if (best < 0 || std::fabs(s.z[j]) > std::fabs(s.z[static_cast<std::size_t>(best)])) {
      best = static_cast<int>(j);
    }
  }
  if (best < 0 || std::fabs(s.z[static_cast<std::size_t>(best)]) < 0.5) return letter_name(id);
  const std::string& feature = p.features[static_cast<std::size_t>(best)];
  if (find_feature(feature)) return letter_name(id);
  return (s.z[static_cast<std::size_t>(best)] > 0 ? "High " : "Low ") + feature;
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
  const auto& rs = naming_rules();
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

namespace segmint::pipeline {

std::string segment_meaning(const std::string& name) {
  std::string base = name;
  std::size_t sp = base.find_last_of(' ');
  if (sp != std::string::npos && sp + 1 < base.size() &&
      base.find_first_not_of("0123456789", sp + 1) == std::string::npos) {
    base.resize(sp);  // "Champions 2" means what "Champions" means
  }
  for (const Rule& r : naming_rules()) {
    if (base == r.name) return r.meaning;
  }
  return "";
}

}  // namespace segmint::pipeline
