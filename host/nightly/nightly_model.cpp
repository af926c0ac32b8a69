// NightlyModel <-> JSON, and moving centroids between two scalers' spaces.
#include "nightly/nightly_model.hpp"

#include <limits>
#include <set>

#include "common/json_fields.hpp"
#include "outputs/model.hpp"
#include "outputs/scaler_json.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {

Scaler scaler_from_json(const nlohmann::json& j, const std::string& where) {
  return pipeline::scaler_from_json(JsonFields(j, where, "model.scaler.", "state manifest"),
                                    feature_catalog().size());
}

nlohmann::json to_json(const NightlyModel& m) {
  return {{"scaler", pipeline::scaler_to_json(m.scaler)},
          {"k", m.k},
          {"d", m.d},
          {"centroids", m.centroids},
          {"center", m.center},
          {"spread", m.spread},
          {"ids", m.ids},
          {"names", m.names},
          {"next_id", m.next_id},
          {"session_gap_seconds", m.session_gap_seconds},
          {"tz_offset_minutes", m.tz_offset_minutes},
          {"transform", m.transform},
          {"min_time", m.min_time},
          {"max_time", m.max_time}};
}

namespace {
// Ids: k distinct values in [0, kMaxSegmentId]; next_id above all of them and low enough that
// k more fresh ids still fit.
void read_ids(const JsonFields& f, NightlyModel& m) {
  for (std::int64_t id : f.integers("ids", 0, pipeline::kMaxSegmentId)) {
    m.ids.push_back(static_cast<int>(id));
  }
  if (m.ids.size() != static_cast<std::size_t>(m.k)) f.fail("ids", "expected k ids");
  if (std::set<int>(m.ids.begin(), m.ids.end()).size() != m.ids.size()) {
    f.fail("ids", "duplicate segment id");
  }
  m.next_id = static_cast<int>(f.integer("next_id", 0, pipeline::kMaxSegmentId));
  for (int id : m.ids) {
    if (id >= m.next_id) f.fail("next_id", "not above every segment id");
  }
}
}  // namespace

NightlyModel model_from_json(const nlohmann::json& j, const std::string& where) {
  const JsonFields f(j, where, "model.", "state manifest");
  NightlyModel m;
  m.scaler = scaler_from_json(f.raw("scaler"), where);
  m.k = static_cast<int>(f.integer("k", 1, 1000000));
  m.d = static_cast<int>(f.integer("d", 1, static_cast<std::int64_t>(m.scaler.names.size())));
  if (static_cast<std::size_t>(m.d) != m.scaler.names.size()) {
    f.fail("d", "expected the number of scaler columns");
  }
  const std::size_t k = static_cast<std::size_t>(m.k), d = static_cast<std::size_t>(m.d);
  const double limit = detail::max_feature_magnitude(d);
  m.centroids = f.floats("centroids", -limit, limit);
  m.center = f.floats("center", -limit, limit);
  m.spread = f.floats("spread", 1e-30, limit);
  if (m.centroids.size() != k * d) f.fail("centroids", "expected k x d values");
  if (m.center.size() != d) f.fail("center", "expected d values");
  if (m.spread.size() != d) f.fail("spread", "expected d values");
  read_ids(f, m);
  m.names = f.strings("names");
  if (m.names.size() != k) f.fail("names", "expected k names");
  m.session_gap_seconds = f.integer("session_gap_seconds", 1, kMaxSessionGapSeconds);
  m.tz_offset_minutes =
      static_cast<int>(f.integer("tz_offset_minutes", -kMaxTzOffsetMinutes, kMaxTzOffsetMinutes));
  // Added after the first states were written: optional.
  m.transform = f.has("transform") ? f.string("transform") : std::string();
  if (!m.transform.empty() && !pipeline::is_transform_name(m.transform)) {
    f.fail("transform", "expected one of " + pipeline::transform_names());
  }
  m.min_time = f.has("min_time") ? f.integer("min_time", kMinEventTime, kMaxEventTime) : 0;
  m.max_time = f.has("max_time") ? f.integer("max_time", kMinEventTime, kMaxEventTime) : 0;
  if (m.min_time > m.max_time) f.fail("min_time", "after max_time");
  return m;
}

std::vector<float> convert_centroids(const std::vector<float>& centroids, int k,
                                     const Scaler& from, const Scaler& to, std::size_t raw_cols) {
  std::vector<double> original = from.inverse(centroids, k);  // k x from.d, original units
  const std::size_t fd = from.names.size();
  FeatureMatrix raw;
  raw.rows = k;
  raw.cols = raw_cols;
  raw.values.assign(raw.rows * raw.cols, 0.0f);
  for (const auto& f : feature_catalog()) raw.names.push_back(f.name);
  if (raw.names.size() != raw_cols) raw.names.resize(raw_cols);
  std::vector<std::uint8_t> known(raw_cols, 0);
  for (std::size_t j = 0; j < fd; ++j) {
    std::size_t c = static_cast<std::size_t>(from.source_columns[j]);
    if (c >= raw_cols) continue;
    known[c] = 1;
    for (int i = 0; i < k; ++i) raw.at(i, c) = static_cast<float>(original[i * fd + j]);
  }
  FeatureMatrix out = to.transform(raw);
  for (std::size_t j = 0; j < to.names.size(); ++j) {
    std::size_t c = static_cast<std::size_t>(to.source_columns[j]);
    if (c < raw_cols && known[c]) continue;
    for (int i = 0; i < k; ++i) out.at(i, j) = 0.0f;
  }
  return out.values;
}

}  // namespace segmint::nightly
