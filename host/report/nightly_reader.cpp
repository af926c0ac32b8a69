// Nightly history from the kept run directories (runs/<as_of>/summary.json, COMPLETE marker).
#include "report/nightly_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "segmint/error.hpp"

namespace segmint::report {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json summary_of(const fs::path& run) {
  const std::string path = (run / "summary.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw InputError(path, 0, std::string("not valid JSON: ") + e.what());
  }
}

/// The migrations part of summary.json's "changes" (absent on a first night).
void read_migrations(const json& changes, ReportNightly& n) {
  n.previous_run = changes.value("previous_run", "");
  if (!changes.contains("migrations")) return;
  const json& m = changes["migrations"];
  n.from_ids = m.at("from").get<std::vector<int>>();
  n.to_ids = m.at("to").get<std::vector<int>>();
  for (const auto& row : m.at("counts")) {
    for (const auto& c : row) n.counts.push_back(c.get<std::uint64_t>());
  }
  n.new_users = m.at("new_users").get<std::vector<std::uint64_t>>();
  n.stayed = m.value("users_stayed", std::uint64_t{0});
  n.moved = m.value("users_moved", std::uint64_t{0});
  n.new_total = m.value("users_new", std::uint64_t{0});
  if (n.counts.size() != n.from_ids.size() * n.to_ids.size()) {
    throw InputError("summary.json", 0, "migrations: counts do not match from x to");
  }
}

}  // namespace

std::optional<ReportNightly> read_nightly(const std::string& run_dir) {
  const fs::path run(run_dir);
  const fs::path runs = run.parent_path();
  if (runs.filename() != "runs" || !fs::is_directory(runs.parent_path() / "state")) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(runs)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory() || name.empty() || name[0] == '.') continue;
    if (!fs::exists(e.path() / "COMPLETE") && e.path() != run) continue;
    if (name <= run.filename().string()) names.push_back(name);  // nights up to this one
  }
  std::sort(names.begin(), names.end());
  ReportNightly n;
  std::map<int, std::string> latest_name;
  for (const auto& name : names) {
    const json s = summary_of(runs / name);
    Night night;
    night.run = name;
    for (const auto& seg : s.at("segments")) {
      const int id = seg.at("segment").get<int>();
      night.sizes.emplace_back(id, seg.at("size").get<std::int64_t>());
      latest_name[id] = seg.at("segment_name").get<std::string>();
    }
    n.nights.push_back(std::move(night));
    if (name == run.filename().string() && s.contains("changes")) read_migrations(s["changes"], n);
  }
  n.names.assign(latest_name.begin(), latest_name.end());
  return n;
}

}  // namespace segmint::report
