// model.json serialisation with nlohmann_json, validated on read so a damaged model is an
// InputError naming the file, never a crash in assign.
#include "outputs/model.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "segmint/error.hpp"

namespace segmint::pipeline {
using nlohmann::json;

std::string transform_name(TransformOptions::Kind kind) {
  switch (kind) {
    case TransformOptions::Kind::none: return "none";
    case TransformOptions::Kind::zscore: return "zscore";
    default: return "log1p-zscore";
  }
}

TransformOptions::Kind parse_transform(const std::string& text) {
  if (text == "none") return TransformOptions::Kind::none;
  if (text == "zscore") return TransformOptions::Kind::zscore;
  if (text == "log1p-zscore") return TransformOptions::Kind::log1p_zscore;
  throw UsageError("--transform must be none, zscore or log1p-zscore, not '" + text + "'");
}

std::string model_to_json(const Model& m) {
  const Scaler& s = m.scaler;
  json scaler = {{"names", s.names},   {"source_columns", s.source_columns},
                 {"log1p", s.log1p},   {"mean", s.mean},
                 {"stddev", s.stddev}, {"weight", s.weight},
                 {"dropped_constant", s.dropped_constant}};
  json centroids = json::array();
  for (int c = 0; c < m.k; ++c) {
    auto first = m.centroids.begin() + static_cast<std::ptrdiff_t>(c) * m.d;
    centroids.push_back(std::vector<float>(first, first + m.d));
  }
  json j = {
      {"format_version", m.format_version},
      {"source", m.source},
      {"feature_catalog", m.feature_catalog},
      {"transform", m.transform},
      {"scaler", scaler},
      {"k", m.k},
      {"d", m.d},
      {"centroids", centroids},
      {"segment_names", m.names},
      {"segment_sizes", m.sizes},
      {"seed", m.seed},
      {"inertia", m.inertia},
      {"data", {{"as_of", m.as_of}, {"min_time", m.min_time}, {"max_time", m.max_time}}},
      {"feature_options",
       {{"session_gap_seconds", m.aggregate.session_gap_seconds},
        {"tz_offset_minutes", m.aggregate.tz_offset_minutes},
        {"weight_by", m.weight_by}}},
  };
  if (!m.segment_ids.empty()) j["segment_ids"] = m.segment_ids;
  return j.dump(2) + "\n";
}

int segment_id(const Model& model, int row) {
  return model.segment_ids.empty() ? row : model.segment_ids[static_cast<std::size_t>(row)];
}

namespace {
template <typename T>
void get(const json& j, const char* key, T& out, const std::string& name) {
  auto it = j.find(key);
  if (it == j.end()) throw InputError(name, 0, std::string("model has no '") + key + "'");
  try {
    it->get_to(out);
  } catch (const json::exception& e) {
    throw InputError(name, 0, std::string("model field '") + key + "': " + e.what());
  }
}
}  // namespace

Model model_from_json(const std::string& text, const std::string& name) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(name, 0, std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw InputError(name, 0, "not a segmint model (expected a JSON object)");
  Model m;
  get(j, "format_version", m.format_version, name);
  if (m.format_version != kModelFormatVersion) {
    throw InputError(name, 0, "model format version " + std::to_string(m.format_version) +
                                  " is not supported (this segmint reads version " +
                                  std::to_string(kModelFormatVersion) + ")");
  }
  get(j, "source", m.source, name);
  get(j, "feature_catalog", m.feature_catalog, name);
  get(j, "transform", m.transform, name);
  const json* sj = &j;
  if (!j.contains("scaler")) throw InputError(name, 0, "model has no 'scaler'");
  sj = &j["scaler"];
  Scaler& s = m.scaler;
  get(*sj, "names", s.names, name);
  get(*sj, "source_columns", s.source_columns, name);
  get(*sj, "log1p", s.log1p, name);
  get(*sj, "mean", s.mean, name);
  get(*sj, "stddev", s.stddev, name);
  get(*sj, "weight", s.weight, name);
  get(*sj, "dropped_constant", s.dropped_constant, name);
  get(j, "k", m.k, name);
  get(j, "d", m.d, name);
  std::vector<std::vector<float>> rows;
  get(j, "centroids", rows, name);
  get(j, "segment_names", m.names, name);
  get(j, "segment_sizes", m.sizes, name);
  if (j.contains("segment_ids")) get(j, "segment_ids", m.segment_ids, name);  // optional
  get(j, "seed", m.seed, name);
  get(j, "inertia", m.inertia, name);
  if (j.contains("data")) {
    get(j["data"], "as_of", m.as_of, name);
    get(j["data"], "min_time", m.min_time, name);
    get(j["data"], "max_time", m.max_time, name);
  }
  if (j.contains("feature_options")) {
    const json& f = j["feature_options"];
    get(f, "session_gap_seconds", m.aggregate.session_gap_seconds, name);
    get(f, "tz_offset_minutes", m.aggregate.tz_offset_minutes, name);
    get(f, "weight_by", m.weight_by, name);
  }
  parse_transform(m.transform);
  const std::size_t d = s.names.size();
  if (m.k < 1 || m.d < 1 || static_cast<std::size_t>(m.d) != d || rows.size() != std::size_t(m.k) ||
      m.names.size() != std::size_t(m.k) || s.source_columns.size() != d || s.log1p.size() != d ||
      s.mean.size() != d || s.stddev.size() != d || s.weight.size() != d) {
    throw InputError(name, 0, "model sizes are inconsistent (k, d, scaler, centroids, names)");
  }
  if (!m.segment_ids.empty()) {
    std::set<int> seen(m.segment_ids.begin(), m.segment_ids.end());
    if (m.segment_ids.size() != std::size_t(m.k) || seen.size() != m.segment_ids.size() ||
        *seen.begin() < 0) {
      throw InputError(name, 0, "segment_ids must hold k distinct ids >= 0");
    }
  }
  for (int c : s.source_columns) {
    if (c < 0 || static_cast<std::size_t>(c) >= m.feature_catalog.size()) {
      throw InputError(name, 0, "scaler source column out of range");
    }
  }
  for (const auto& r : rows) {
    if (r.size() != d) throw InputError(name, 0, "a centroid does not have d values");
    m.centroids.insert(m.centroids.end(), r.begin(), r.end());
  }
  return m;
}

Model read_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open model file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return model_from_json(ss.str(), path);
}

}  // namespace segmint::pipeline
