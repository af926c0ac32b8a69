// model.json serialisation with nlohmann_json, validated on read so a damaged model is an
// InputError naming the file, never a crash in assign.
#include "outputs/model.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "outputs/scaler_json.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {
using nlohmann::json;

namespace {
const std::pair<TransformOptions::Kind, const char*> kTransformNames[] = {
    {TransformOptions::Kind::none, "none"},
    {TransformOptions::Kind::zscore, "zscore"},
    {TransformOptions::Kind::log1p_zscore, "log1p-zscore"},
    {TransformOptions::Kind::log1p_robust, "log1p-robust"},
    {TransformOptions::Kind::log1p_winsor, "log1p-winsor"},
    {TransformOptions::Kind::quantile, "quantile"},
};

// Version 1 when the model uses nothing version 2 added, so version-1 readers still read it.
int format_version_for(const Model& m) {
  const Scaler& s = m.scaler;
  const bool v1_transform =
      m.transform == "none" || m.transform == "zscore" || m.transform == "log1p-zscore";
  const bool v1_scaler =
      s.clip.empty() && s.knots.empty() && s.group_weight.empty() && s.heavy.empty();
  return v1_transform && v1_scaler ? 1 : kModelFormatVersion;
}

}  // namespace

std::string transform_name(TransformOptions::Kind kind) {
  for (const auto& [k, name] : kTransformNames) {
    if (k == kind) return name;
  }
  return "log1p-zscore";
}

std::string transform_names() {
  std::string out;
  for (const auto& [k, name] : kTransformNames) out += (out.empty() ? "" : " | ") + std::string(name);
  return out;
}

TransformOptions::Kind parse_transform(const std::string& text) {
  for (const auto& [k, name] : kTransformNames) {
    if (text == name) return k;
  }
  throw UsageError("--transform must be one of " + transform_names() + ", not '" + text + "'");
}

std::string model_to_json(const Model& m) {
  json scaler = scaler_to_json(m.scaler);
  json centroids = json::array();
  for (int c = 0; c < m.k; ++c) {
    auto first = m.centroids.begin() + static_cast<std::ptrdiff_t>(c) * m.d;
    centroids.push_back(std::vector<float>(first, first + m.d));
  }
  json j = {
      {"format_version", format_version_for(m)},
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
  if (m.format_version < 1 || m.format_version > kModelFormatVersion) {
    throw InputError(name, 0, "model format version " + std::to_string(m.format_version) +
                                  " is not supported (this segmint reads versions 1 to " +
                                  std::to_string(kModelFormatVersion) + ")");
  }
  get(j, "source", m.source, name);
  get(j, "feature_catalog", m.feature_catalog, name);
  get(j, "transform", m.transform, name);
  if (!j.contains("scaler")) throw InputError(name, 0, "model has no 'scaler'");
  m.scaler = scaler_from_json(j["scaler"], name);
  const Scaler& s = m.scaler;
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
      m.names.size() != std::size_t(m.k)) {
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
