// Reading a run directory into a ReportRun: sizes and traits from summary.json, means from
// centroids.csv, centroid z-scores from model.json.
#include "report/run_reader.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "outputs/model.hpp"
#include "report/nightly_reader.hpp"
#include "report/projection.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint::report {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open (is this a segmint output directory?)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json read_json(const std::string& path) {
  try {
    return json::parse(read_text(path));
  } catch (const json::exception& e) {
    throw InputError(path, 0, std::string("not valid JSON: ") + e.what());
  }
}

/// Segment sizes, names and traits from summary.json, in its row order.
void read_summary(const json& s, ReportRun& run) {
  run.command = s.value("command", "run");
  run.events = s.value("events", std::uint64_t{0});
  run.users = s.value("users", std::uint64_t{0});
  run.bad_rows = s.value("bad_rows", std::uint64_t{0});
  run.k = s.value("k", 0);
  run.iterations = s.value("iterations", 0);
  run.inertia = s.value("inertia", 0.0);
  run.device = s.value("device", "");
  for (const auto& seg : s.at("segments")) {
    ReportSegment r;
    r.id = seg.at("segment").get<int>();
    r.name = seg.at("segment_name").get<std::string>();
    r.size = seg.at("size").get<std::int64_t>();
    r.share = run.users ? static_cast<double>(r.size) / static_cast<double>(run.users) : 0;
    const json traits = seg.value("traits_z", json::object());
    for (const auto& [f, z] : traits.items()) r.traits.emplace_back(f, z.get<double>());
    run.segments.push_back(std::move(r));
  }
}

/// Per-segment means in original units from centroids.csv (rows in the order of summary.json).
void read_centroids(const std::string& path, ReportRun& run) {
  std::istringstream in(read_text(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header = split_csv_line(line);
  if (header.size() < 3) throw InputError(path, 1, "expected segment,segment_name,size,...");
  for (std::size_t j = 3; j < header.size(); ++j) {
    const FeatureInfo* info = find_feature(header[j]);
    run.features.push_back({header[j], info ? info->unit : "", false});
  }
  std::size_t row = 0;
  for (unsigned long long no = 2; std::getline(in, line); ++no) {
    if (line.empty()) continue;
    std::vector<std::string> f = split_csv_line(line);
    if (f.size() != header.size() || row >= run.segments.size()) {
      throw InputError(path, no, "row does not match the header or summary.json");
    }
    for (std::size_t j = 3; j < f.size(); ++j) {
      run.segments[row].mean.push_back(std::strtod(f[j].c_str(), nullptr));
    }
    ++row;
  }
  if (row != run.segments.size()) throw InputError(path, 0, "fewer rows than segments");
  // The population mean is the size-weighted mean of the segment means.
  run.population_mean.assign(run.features.size(), 0);
  double n = 0;
  for (const auto& s : run.segments) {
    n += static_cast<double>(s.size);
    for (std::size_t j = 0; j < s.mean.size(); ++j) {
      run.population_mean[j] += static_cast<double>(s.size) * s.mean[j];
    }
  }
  for (auto& m : run.population_mean) m = n > 0 ? m / n : 0;
}

/// Heatmap: the model's centroids are z-scores already (divided by any --weights factor);
/// with --transform none they are raw, so z is taken against the spread of segment means.
void heatmap_from_model(const pipeline::Model& m, ReportRun& run) {
  const std::size_t d = m.scaler.names.size(), k = run.segments.size();
  run.heat_features = m.scaler.names;
  for (auto& f : run.features) {
    for (const auto& n : m.scaler.names) f.clustered = f.clustered || f.name == n;
  }
  run.heat_z.assign(k * d, 0);
  if (m.transform != "none" && m.centroids.size() == k * d) {
    for (std::size_t c = 0; c < k; ++c) {
      for (std::size_t j = 0; j < d; ++j) {
        double w = j < m.scaler.weight.size() && m.scaler.weight[j] > 0 ? m.scaler.weight[j] : 1;
        run.heat_z[c * d + j] = m.centroids[c * d + j] / w;
      }
    }
    run.heat_note = m.transform == "log1p-zscore"
                        ? "Each segment's centre in standard deviations from the average user, "
                          "as k-means saw it (counts and money on a log scale)."
                        : "Each segment's centre in standard deviations from the average user.";
    return;
  }
  for (std::size_t j = 0; j < d; ++j) {
    std::size_t col = 0;
    while (col < run.features.size() && run.features[col].name != m.scaler.names[j]) ++col;
    if (col == run.features.size()) continue;
    double var = 0, n = 0;
    for (const auto& s : run.segments) {
      double diff = s.mean[col] - run.population_mean[col];
      var += static_cast<double>(s.size) * diff * diff;
      n += static_cast<double>(s.size);
    }
    double sd = n > 0 ? std::sqrt(var / n) : 0;
    for (std::size_t c = 0; c < k; ++c) {
      double diff = run.segments[c].mean[col] - run.population_mean[col];
      run.heat_z[c * d + j] = sd > 0 ? diff / sd : 0;
    }
  }
  run.heat_note =
      "The run clustered raw values (--transform none): each segment's mean in "
      "standard deviations of the segment means.";
}

std::string as_of_text(std::int64_t t) {
  if (t <= 0) return "";
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

}  // namespace

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

ReportDocument read_run_dir(const std::string& dir_in) {
  std::string dir = dir_in;
  if (fs::exists(fs::path(dir) / "latest") && !fs::exists(fs::path(dir) / "summary.json")) {
    dir = (fs::path(dir) / "latest").string();  // a nightly state directory: its latest night
  }
  ReportDocument doc;
  ReportRun run;
  read_summary(read_json(dir + "/summary.json"), run);
  read_centroids(dir + "/centroids.csv", run);
  const pipeline::Model model = pipeline::read_model(dir + "/model.json");
  heatmap_from_model(model, run);
  run.as_of = as_of_text(model.as_of);
  if (fs::exists(dir + "/projection.json")) {
    run.projection =
        projection_from_json(read_text(dir + "/projection.json"), dir + "/projection.json");
  }
  fs::path canonical = fs::weakly_canonical(fs::absolute(dir));
  run.title = canonical.filename().string();
  doc.title = run.title;
  doc.nightly = read_nightly(canonical.string());
  if (doc.nightly) doc.title = canonical.parent_path().parent_path().filename().string();
  doc.run = std::move(run);
  return doc;
}

ReportSweep sweep_from_json(const std::string& text, const std::string& name) {
  try {
    json j = json::parse(text);
    ReportSweep s;
    s.recommended_k = j.at("recommended_k").get<int>();
    s.silhouette_sampled = j.value("silhouette_sampled", false);
    const std::string rows = std::to_string(j.value("rows", 0));
    s.source = j.contains("matrix") ? j["matrix"].get<std::string>() : std::string("events");
    s.source += " (" + rows + " rows, transform " + j.value("transform", "") + ")";
    for (const auto& r : j.at("results")) {
      s.points.push_back({r.at("k").get<int>(), r.at("inertia").get<double>(),
                          r.at("silhouette").get<double>(), r.at("davies_bouldin").get<double>(),
                          r.at("calinski_harabasz").get<double>()});
    }
    return s;
  } catch (const json::exception& e) {
    throw InputError(name, 0, std::string("not a sweep --json output: ") + e.what());
  }
}

}  // namespace segmint::report
