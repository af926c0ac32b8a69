// Scaler <-> JSON with every consistency check in one place.
#include "outputs/scaler_json.hpp"

#include "segmint/error.hpp"

namespace segmint::pipeline {
using nlohmann::json;

json scaler_to_json(const Scaler& s) {
  json j = {{"names", s.names},   {"source_columns", s.source_columns},
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
  if (!s.heavy.empty()) {
    j["heavy"] = {{"measures", s.heavy.measures},
                  {"log_fence", s.heavy.log_fence},
                  {"iqr_multiple", s.heavy.iqr_multiple}};
  }
  return j;
}

namespace {

void check_lengths(const Scaler& s, const std::string& where) {
  const std::size_t d = s.names.size();
  auto bad = [d](std::size_t n, bool optional) { return optional ? n != 0 && n != d : n != d; };
  if (bad(s.source_columns.size(), false) || bad(s.log1p.size(), false) ||
      bad(s.mean.size(), false) || bad(s.stddev.size(), false) || bad(s.weight.size(), false) ||
      bad(s.clip.size(), true) || s.clip_lo.size() != s.clip.size() ||
      s.clip_hi.size() != s.clip.size() || bad(s.knots.size(), true) ||
      bad(s.group_weight.size(), true) || bad(s.group.size(), true) ||
      s.heavy.log_fence.size() != s.heavy.measures.size()) {
    throw InputError(where, 0, "bad scaler: column lists differ in length");
  }
  for (const auto& k : s.knots) {
    for (std::size_t i = 1; i < k.size(); ++i) {
      if (!(k[i - 1] <= k[i])) throw InputError(where, 0, "bad scaler: knots not ascending");
    }
    if (k.size() == 1) throw InputError(where, 0, "bad scaler: a column has one knot");
  }
}

}  // namespace

Scaler scaler_from_json(const json& j, const std::string& where) {
  Scaler s;
  try {
    j.at("names").get_to(s.names);
    j.at("source_columns").get_to(s.source_columns);
    j.at("log1p").get_to(s.log1p);
    j.at("mean").get_to(s.mean);
    j.at("stddev").get_to(s.stddev);
    j.at("weight").get_to(s.weight);
    j.at("dropped_constant").get_to(s.dropped_constant);
    // Added with robust transforms (model format 2); absent in older files.
    if (j.contains("clip")) {
      j.at("clip").get_to(s.clip);
      j.at("clip_lo").get_to(s.clip_lo);
      j.at("clip_hi").get_to(s.clip_hi);
    }
    if (j.contains("knots")) j.at("knots").get_to(s.knots);
    if (j.contains("group_weight")) {
      j.at("group").get_to(s.group);
      j.at("group_weight").get_to(s.group_weight);
    }
    if (j.contains("heavy")) {
      const json& h = j.at("heavy");
      h.at("measures").get_to(s.heavy.measures);
      h.at("log_fence").get_to(s.heavy.log_fence);
      h.at("iqr_multiple").get_to(s.heavy.iqr_multiple);
    }
  } catch (const json::exception& e) {
    throw InputError(where, 0, std::string("bad scaler: ") + e.what());
  }
  check_lengths(s, where);
  return s;
}

}  // namespace segmint::pipeline
