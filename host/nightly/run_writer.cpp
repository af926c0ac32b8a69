// Nightly's own writers for the run outputs (the column names of DESIGN.md); a stand-in until
// the shared segments writers are wired in through run_writer.hpp.
#include "nightly/run_writer.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "io/atomic_file.hpp"
#include "nightly/nightly_model.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {
namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string path_in(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}
}  // namespace

std::vector<std::string> name_new_segments(const RunData& data, const std::vector<int>& rows) {
  std::vector<std::string> names;
  for (int r : rows) names.push_back("Segment " + std::to_string(data.ids[r]));
  return names;
}

void write_run_outputs(const RunData& data, const std::string& dir) {
  const KMeansResult& res = *data.result;
  const int k = static_cast<int>(data.ids.size());
  const FeatureMatrix& raw = *data.raw;

  AtomicFile assignments(path_in(dir, "assignments.csv"));
  std::string buf = "user_id,segment,segment_name,distance\n";
  for (std::uint32_t u : data.users->sorted_order()) {
    if (u >= res.labels.size()) continue;  // an id interned without any event kept
    int row = res.labels[u];
    buf += csv_field(data.users->id(u)) + "," + std::to_string(data.ids[row]) + "," +
           csv_field(data.names[row]) + "," + num(res.distances[u]) + "\n";
    if (buf.size() > (1u << 20)) {
      assignments.write(buf);
      buf.clear();
    }
  }
  assignments.write(buf);
  assignments.commit();

  // Centroids in original units: per-segment means of the raw features (all columns).
  std::vector<double> sums(static_cast<std::size_t>(k) * raw.cols, 0.0);
  std::vector<std::uint64_t> sizes(k, 0);
  for (std::size_t u = 0; u < raw.rows; ++u) {
    int row = res.labels[u];
    ++sizes[row];
    for (std::size_t j = 0; j < raw.cols; ++j) sums[row * raw.cols + j] += raw.at(u, j);
  }
  std::string cs = "segment,segment_name,size";
  for (const auto& n : raw.names) cs += "," + csv_field(n);
  cs += "\n";
  std::vector<int> order(k);
  for (int i = 0; i < k; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) { return data.ids[a] < data.ids[b]; });
  for (int row : order) {
    cs += std::to_string(data.ids[row]) + "," + csv_field(data.names[row]) + "," +
          std::to_string(sizes[row]);
    for (std::size_t j = 0; j < raw.cols; ++j) {
      cs += "," + num(sizes[row] ? sums[row * raw.cols + j] / double(sizes[row]) : 0.0);
    }
    cs += "\n";
  }
  write_file_atomic(path_in(dir, "centroids.csv"), cs);

  nlohmann::json model;
  model["format"] = "segmint-model";
  model["version"] = 1;
  model["feature_columns"] = raw.names;
  model["scaler"] = to_json(*data.scaler);
  model["k"] = k;
  model["centroids"] = res.centroids;
  model["segment_ids"] = data.ids;
  model["segment_names"] = data.names;
  model["seed"] = data.seed;
  model["as_of"] = data.as_of;
  model["inertia"] = res.inertia;
  write_file_atomic(path_in(dir, "model.json"), model.dump(1) + "\n");
  write_file_atomic(path_in(dir, "summary.json"), data.summary.dump(1) + "\n");
}

void write_features_csv(const RunData& data, const std::string& dir) {
  const FeatureMatrix& raw = *data.raw;
  AtomicFile out(path_in(dir, "features.csv"));
  std::string buf = "user_id";
  for (const auto& n : raw.names) buf += "," + csv_field(n);
  buf += "\n";
  for (std::uint32_t u : data.users->sorted_order()) {
    if (u >= raw.rows) continue;
    buf += csv_field(data.users->id(u));
    for (std::size_t j = 0; j < raw.cols; ++j) buf += "," + num(raw.at(u, j));
    buf += "\n";
    if (buf.size() > (1u << 20)) {
      out.write(buf);
      buf.clear();
    }
  }
  out.write(buf);
  out.commit();
}

}  // namespace segmint::nightly
