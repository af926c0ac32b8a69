// NightlyModel <-> JSON, and moving centroids between two scalers' spaces.
#include "nightly/nightly_model.hpp"

#include <limits>

#include "outputs/scaler_json.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {

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

NightlyModel model_from_json(const nlohmann::json& j, const std::string& where) {
  NightlyModel m;
  try {
    m.scaler = pipeline::scaler_from_json(j.at("scaler"), where);
    m.k = j.at("k").get<int>();
    m.d = j.at("d").get<int>();
    m.centroids = j.at("centroids").get<std::vector<float>>();
    m.center = j.at("center").get<std::vector<float>>();
    m.spread = j.at("spread").get<std::vector<float>>();
    m.ids = j.at("ids").get<std::vector<int>>();
    m.names = j.at("names").get<std::vector<std::string>>();
    m.next_id = j.at("next_id").get<int>();
    m.session_gap_seconds = j.at("session_gap_seconds").get<std::int64_t>();
    m.tz_offset_minutes = j.at("tz_offset_minutes").get<int>();
    // Added after the first states were written: optional.
    m.transform = j.value("transform", std::string());
    m.min_time = j.value("min_time", std::int64_t{0});
    m.max_time = j.value("max_time", std::int64_t{0});
  } catch (const nlohmann::json::exception& e) {
    throw InputError(where, 0, std::string("bad nightly model: ") + e.what());
  }
  if (m.k < 1 || m.d != static_cast<int>(m.scaler.names.size()) ||
      m.centroids.size() != static_cast<std::size_t>(m.k) * m.d ||
      m.center.size() != static_cast<std::size_t>(m.d) ||
      m.spread.size() != static_cast<std::size_t>(m.d) ||
      m.ids.size() != static_cast<std::size_t>(m.k) || m.names.size() != m.ids.size()) {
    throw InputError(where, 0, "bad nightly model: sizes of k, d, centroids, ids differ");
  }
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
