// model.json serialisation with nlohmann_json, validated on read so a damaged model is an
// InputError naming the file, never a crash in assign.
#include "outputs/model.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/json_fields.hpp"
#include "outputs/scaler_json.hpp"
#include "segmint/detail/kmeans_math.hpp"
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

bool is_transform_name(const std::string& text) {
  for (const auto& [k, name] : kTransformNames) {
    if (text == name) return true;
  }
  return false;
}

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
// The largest k the CLI accepts (--k), and ids nightly can hand out without overflowing.
constexpr std::int64_t kMaxK = 1000000;

void read_centroids(const JsonFields& f, Model& m) {
  const double limit = detail::max_feature_magnitude(static_cast<std::size_t>(m.d));
  m.centroids = f.float_rows("centroids", static_cast<std::size_t>(m.k),
                             static_cast<std::size_t>(m.d), -limit, limit);
  m.names = f.strings("segment_names");
  if (m.names.size() != static_cast<std::size_t>(m.k)) f.fail("segment_names", "expected k names");
  m.sizes = f.integers("segment_sizes", 0, INT64_MAX);
  if (m.sizes.size() != static_cast<std::size_t>(m.k)) f.fail("segment_sizes", "expected k sizes");
  if (f.has("segment_ids")) {  // optional (nightly's stable ids)
    for (std::int64_t id : f.integers("segment_ids", 0, kMaxSegmentId)) {
      m.segment_ids.push_back(static_cast<int>(id));
    }
    std::set<int> seen(m.segment_ids.begin(), m.segment_ids.end());
    if (m.segment_ids.size() != static_cast<std::size_t>(m.k) || seen.size() != m.segment_ids.size()) {
      f.fail("segment_ids", "expected k distinct ids");
    }
  }
}

void read_data_and_options(const JsonFields& f, Model& m) {
  if (f.has("data")) {  // times are 0 for a matrix model
    const JsonFields data = f.object("data");
    m.as_of = data.integer("as_of", kMinEventTime, kMaxEventTime);
    m.min_time = data.integer("min_time", kMinEventTime, kMaxEventTime);
    m.max_time = data.integer("max_time", kMinEventTime, kMaxEventTime);
    if (m.min_time > m.max_time) data.fail("min_time", "after max_time");
  }
  if (f.has("feature_options")) {
    const JsonFields o = f.object("feature_options");
    m.aggregate.session_gap_seconds = o.integer("session_gap_seconds", 1, kMaxSessionGapSeconds);
    m.aggregate.tz_offset_minutes =
        static_cast<int>(o.integer("tz_offset_minutes", -kMaxTzOffsetMinutes, kMaxTzOffsetMinutes));
    m.weight_by = o.string("weight_by");
  }
}
}  // namespace

Model model_from_json(const std::string& text, const std::string& name) {
  const nlohmann::json j = parse_json_file_text(text, name);
  if (!j.is_object()) throw InputError(name, 0, "not a segmint model (expected a JSON object)");
  const JsonFields f(j, name, "", "model");
  Model m;
  m.format_version = static_cast<int>(f.integer("format_version", INT32_MIN, INT32_MAX));
  if (m.format_version < 1 || m.format_version > kModelFormatVersion) {
    throw InputError(name, 0, "model format version " + std::to_string(m.format_version) +
                                  " is not supported (this segmint reads versions 1 to " +
                                  std::to_string(kModelFormatVersion) + ")");
  }
  m.source = f.string("source");
  if (m.source != "events" && m.source != "matrix") f.fail("source", "expected events or matrix");
  m.feature_catalog = f.strings("feature_catalog");
  m.transform = f.string("transform");
  if (!is_transform_name(m.transform)) f.fail("transform", "expected one of " + transform_names());
  m.scaler = scaler_from_json(f.object("scaler"), m.feature_catalog.size());
  m.k = static_cast<int>(f.integer("k", 1, kMaxK));
  m.d = static_cast<int>(f.integer("d", 1, static_cast<std::int64_t>(m.scaler.names.size())));
  if (static_cast<std::size_t>(m.d) != m.scaler.names.size()) {
    f.fail("d", "expected the number of scaler columns (" +
                    std::to_string(m.scaler.names.size()) + ")");
  }
  read_centroids(f, m);
  m.seed = f.unsigned_integer("seed");
  m.inertia = f.number("inertia", 0, 1e308);
  read_data_and_options(f, m);
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
