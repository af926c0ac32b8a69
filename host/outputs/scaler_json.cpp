// Scaler <-> JSON with every list and value checked (a fitted scaler's invariants).
#include "outputs/scaler_json.hpp"

#include <set>
#include <string>

namespace segmint::pipeline {
namespace {

constexpr double kHuge = 1e300;

nlohmann::json heavy_to_json(const HeavyRule& h) {
  return {{"measures", h.measures}, {"log_fence", h.log_fence}, {"iqr_multiple", h.iqr_multiple}};
}

/// Optional per-column lists: absent, or one entry per name.
void check_optional_length(const JsonFields& f, const char* key, std::size_t n, std::size_t d) {
  if (n != 0 && n != d) f.fail(key, "expected " + std::to_string(d) + " entries, one per name");
}

void read_clip(const JsonFields& f, Scaler& s) {
  if (!f.has("clip")) return;
  for (std::int64_t v : f.integers("clip", 0, 1)) s.clip.push_back(static_cast<std::uint8_t>(v));
  s.clip_lo = f.numbers("clip_lo", -kHuge, kHuge);
  s.clip_hi = f.numbers("clip_hi", -kHuge, kHuge);
  if (s.clip_lo.size() != s.clip.size()) f.fail("clip_lo", "expected one entry per clip flag");
  if (s.clip_hi.size() != s.clip.size()) f.fail("clip_hi", "expected one entry per clip flag");
  for (std::size_t j = 0; j < s.clip.size(); ++j) {
    if (s.clip[j] && !(s.clip_lo[j] <= s.clip_hi[j])) f.fail("clip_lo", "bound above clip_hi");
  }
}

void read_knots(const JsonFields& f, Scaler& s) {
  if (!f.has("knots")) return;
  const nlohmann::json& all = f.raw("knots");
  if (!all.is_array()) f.fail("knots", "expected an array of arrays");
  for (const auto& column : all) {
    if (!column.is_array() || column.size() == 1) f.fail("knots", "expected 0 or >= 2 knots a column");
    std::vector<double> k;
    for (const auto& v : column) {
      double x = 0;
      if (!json_number_in(v, -kHuge, kHuge, x)) f.fail("knots", "expected finite numbers");
      if (!k.empty() && !(k.back() <= x)) f.fail("knots", "knots not ascending");
      k.push_back(x);
    }
    s.knots.push_back(std::move(k));
  }
}

void read_heavy(const JsonFields& f, Scaler& s) {
  if (!f.has("heavy")) return;
  const JsonFields h = f.object("heavy");
  const nlohmann::json& measures = h.raw("measures");
  if (!measures.is_array()) h.fail("measures", "expected an array of arrays of feature names");
  for (const auto& m : measures) {
    if (!m.is_array() || m.empty()) h.fail("measures", "expected non-empty arrays of names");
    std::vector<std::string> names;
    for (const auto& n : m) {
      if (!n.is_string()) h.fail("measures", "expected feature names");
      names.push_back(n.get<std::string>());
    }
    s.heavy.measures.push_back(std::move(names));
  }
  s.heavy.log_fence = h.numbers("log_fence", -kHuge, kHuge);
  if (s.heavy.log_fence.size() != s.heavy.measures.size()) {
    h.fail("log_fence", "expected one fence per measure");
  }
  s.heavy.iqr_multiple = h.number("iqr_multiple", 0, kHuge);
}

}  // namespace

nlohmann::json scaler_to_json(const Scaler& s) {
  nlohmann::json j = {{"names", s.names},   {"source_columns", s.source_columns},
                      {"log1p", s.log1p},   {"mean", s.mean},
                      {"stddev", s.stddev}, {"weight", s.weight},
                      {"dropped_constant", s.dropped_constant}};
  if (!s.clip.empty()) {
    j["clip"] = s.clip;
    j["clip_lo"] = s.clip_lo;
    j["clip_hi"] = s.clip_hi;
  }
  if (!s.knots.empty()) j["knots"] = s.knots;
  if (!s.group_weight.empty()) {
    j["group"] = s.group;
    j["group_weight"] = s.group_weight;
  }
  if (!s.heavy.empty()) j["heavy"] = heavy_to_json(s.heavy);
  return j;
}

Scaler scaler_from_json(const JsonFields& f, std::size_t catalog_size) {
  Scaler s;
  s.names = f.strings("names");
  const std::size_t d = s.names.size();
  if (d == 0) f.fail("names", "expected at least one feature");
  if (std::set<std::string>(s.names.begin(), s.names.end()).size() != d) {
    f.fail("names", "duplicate feature name");
  }
  for (std::int64_t c : f.integers("source_columns", 0, static_cast<std::int64_t>(catalog_size) - 1)) {
    s.source_columns.push_back(static_cast<int>(c));
  }
  for (std::int64_t v : f.integers("log1p", 0, 1)) s.log1p.push_back(static_cast<std::uint8_t>(v));
  s.mean = f.numbers("mean", -kHuge, kHuge);
  s.stddev = f.numbers("stddev", 1e-300, kHuge);
  s.weight = f.numbers("weight", 0, kHuge);
  s.dropped_constant = f.strings("dropped_constant");
  const char* lists[] = {"source_columns", "log1p", "mean", "stddev", "weight"};
  const std::size_t sizes[] = {s.source_columns.size(), s.log1p.size(), s.mean.size(),
                               s.stddev.size(), s.weight.size()};
  for (int i = 0; i < 5; ++i) {
    if (sizes[i] != d) f.fail(lists[i], "expected " + std::to_string(d) + " entries, one per name");
  }
  // Added with the robust transforms (model format 2); absent in older files.
  read_clip(f, s);
  check_optional_length(f, "clip", s.clip.size(), d);
  read_knots(f, s);
  check_optional_length(f, "knots", s.knots.size(), d);
  if (f.has("group_weight")) {
    s.group = f.strings("group");
    s.group_weight = f.numbers("group_weight", 0, kHuge);
    check_optional_length(f, "group", s.group.size(), d);
    if (s.group_weight.size() != d) f.fail("group_weight", "expected one entry per name");
  }
  read_heavy(f, s);
  return s;
}

}  // namespace segmint::pipeline
