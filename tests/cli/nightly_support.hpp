// Helpers for the nightly CLI tests: running nights, snapshots of a state directory, CSV reading.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nightly/lock.hpp"
#include "nightly/state_dir.hpp"
#include "nightly_data.hpp"
#include "test_support.hpp"

namespace segmint::test {

/// Options every test night uses: small k, fixed seed, one thread, CPU.
inline std::vector<std::string> night_args(const std::string& state, const std::string& events,
                                           std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"nightly", "--state", state,    "--events", events,
                                "--schema", "rees46", "--k",    "4",        "--seed",
                                "1",        "--device", "cpu"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

inline CliResult night(const std::string& state, const std::string& events,
                       std::vector<std::string> extra = {}, const std::string& env = "") {
  return run_cli(night_args(state, events, std::move(extra)), env);
}

/// Every file under `dir` (recursively) by relative path -> content; symlinks as "-> target".
/// The lock file is left out (it holds the last pid). `skip_timings` drops "timings_ms" from
/// summary.json files, the one output that legitimately differs between two runs.
inline std::map<std::string, std::string> snapshot(const std::string& dir,
                                                   bool skip_timings = true) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    std::string rel = it->path().lexically_relative(dir).string();
    if (rel == ".lock") continue;
    if (it->is_symlink()) {
      out[rel] = "-> " + fs::read_symlink(it->path()).string();
      it.disable_recursion_pending();
    } else if (it->is_regular_file()) {
      std::string text = read_file(it->path().string());
      if (skip_timings && it->path().filename() == "summary.json") {
        auto j = nlohmann::json::parse(text);
        j.erase("timings_ms");
        text = j.dump();
      }
      out[rel] = text;
    }
  }
  return out;
}

inline nlohmann::json read_json(const std::string& path) {
  return nlohmann::json::parse(read_file(path));
}

/// Rows of a simple CSV (no quoted fields), header included.
inline std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t pos = 0;
    while (true) {
      std::size_t c = line.find(',', pos);
      f.push_back(line.substr(pos, c == std::string::npos ? std::string::npos : c - pos));
      if (c == std::string::npos) break;
      pos = c + 1;
    }
    rows.push_back(f);
  }
  return rows;
}

/// user_id -> segment id from an assignments.csv.
inline std::map<std::string, int> segments_of(const std::string& assignments_csv) {
  std::map<std::string, int> m;
  auto rows = read_csv(assignments_csv);
  for (std::size_t i = 1; i < rows.size(); ++i) m[rows[i][0]] = std::stoi(rows[i][1]);
  return m;
}

/// The state and latest are valid: the manifest and its checksums load, and latest (when
/// present) points at a complete run.
inline void expect_valid_state(const std::string& dir) {
  nightly::StateDir sd(dir);
  EXPECT_NO_THROW(sd.load()) << dir;
  std::string latest = sd.latest_run();
  if (fs::exists(fs::symlink_status(sd.latest_path()))) {
    EXPECT_TRUE(sd.run_complete(latest)) << "latest -> " << latest;
  }
}

}  // namespace segmint::test
