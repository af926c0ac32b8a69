// StateDir: staging, commit, recovery and retention of the nightly state directory.
#include "nightly/state_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/json_fields.hpp"
#include "segmint/error.hpp"
#include "segmint/events.hpp"

namespace segmint::nightly {
namespace fs = std::filesystem;

namespace {
bool is_temp_name(const std::string& name) {
  return name.size() > 1 && name[0] == '.' && name.find(".tmp.") != std::string::npos;
}

std::string staging_name(const std::string& name) {
  return "." + name + ".tmp." + std::to_string(::getpid());
}

void make_fresh_dir(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (!fs::create_directories(path, ec) && ec) {
    throw RuntimeError("cannot create " + path + ": " + ec.message());
  }
}

nlohmann::json to_json(const Manifest& m) {
  nlohmann::json j;
  j["format"] = "segmint-nightly-state";
  j["version"] = m.version;
  j["as_of"] = m.as_of;
  j["run"] = m.run;
  j["inputs"] = m.inputs;
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [name, f] : m.files) files[name] = f.text();
  j["files"] = files;
  j["model"] = m.model;
  return j;
}
}  // namespace

std::string run_name(std::int64_t as_of) {
  std::time_t t = static_cast<std::time_t>(as_of);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H%M%SZ", &tm);
  return buf;
}

void fsync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw RuntimeError("cannot open " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw RuntimeError("cannot fsync " + path + ": " + std::strerror(errno));
}

StateDir::StateDir(std::string root) : root_(std::move(root)) {
  std::error_code ec;
  fs::create_directories(runs_path(), ec);
  if (ec) throw RuntimeError("cannot create " + runs_path() + ": " + ec.message());
}

std::string StateDir::state_path() const { return (fs::path(root_) / "state").string(); }
std::string StateDir::runs_path() const { return (fs::path(root_) / "runs").string(); }
std::string StateDir::latest_path() const { return (fs::path(root_) / "latest").string(); }
std::string StateDir::run_path(const std::string& name) const {
  return (fs::path(runs_path()) / name).string();
}

std::vector<std::string> StateDir::recover() {
  std::vector<std::string> cleaned;
  std::error_code ec;
  for (const std::string& dir : {root_, state_path(), runs_path()}) {
    if (recover_aside(dir)) cleaned.push_back("restored a half-swapped directory in " + dir);
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> leftovers;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (is_temp_name(e.path().filename().string())) leftovers.push_back(e.path());
    }
    for (const auto& p : leftovers) {
      fs::remove_all(p, ec);
      cleaned.push_back("removed leftover " + p.string());
    }
  }
  // A run directory without its marker was never committed by us; never point at it.
  const std::string latest = latest_run();
  for (const auto& e : fs::directory_iterator(runs_path(), ec)) {
    std::string name = e.path().filename().string();
    if (name[0] == '.' || !e.is_directory() || run_complete(name) || name == latest) continue;
    fs::remove_all(e.path(), ec);
    cleaned.push_back("removed incomplete run " + e.path().string());
  }
  if (!cleaned.empty()) fsync_dir(root_);
  return cleaned;
}

bool is_run_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

namespace {
// A state file name as commit_state writes it: a plain name inside DIR/state, never a path.
bool is_state_file_name(const std::string& name) {
  return !name.empty() && name[0] != '.' && name != "manifest.json" &&
         name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

// Verifies the checksum of every file the manifest lists (names checked first, so a crafted
// manifest cannot make us open a file outside the state directory).
std::map<std::string, FileFingerprint> verify_files(const JsonFields& files,
                                                    const std::string& state) {
  std::map<std::string, FileFingerprint> out;
  for (const auto& [name, value] : files.raw_object().items()) {
    (void)value;
    if (!is_state_file_name(name)) files.fail(name, "not a file name inside the state directory");
    const std::string expected = files.string(name.c_str());
    std::string file = (fs::path(state) / name).string();
    FileFingerprint actual = fingerprint_file(file);
    if (actual.text() != expected) {
      throw InputError(file, 0, "state file checksum mismatch (corrupt or changed by hand)");
    }
    out[name] = actual;
  }
  return out;
}
}  // namespace

std::optional<Manifest> StateDir::load() const {
  const std::string path = (fs::path(state_path()) / "manifest.json").string();
  if (!fs::exists(path)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json j = parse_json_file_text(text.str(), path);
  const JsonFields f(j, path, "", "state manifest");
  if (f.string("format") != "segmint-nightly-state") throw InputError(path, 0, "not a state file");
  Manifest m;
  m.version = static_cast<int>(f.integer("version", INT32_MIN, INT32_MAX));
  if (m.version != kStateFormatVersion) {
    throw InputError(path, 0, "state format version " + std::to_string(m.version) +
                                  " is not supported (this segmint reads version " +
                                  std::to_string(kStateFormatVersion) + ")");
  }
  m.as_of = f.integer("as_of", kMinEventTime, kMaxEventTime);
  m.run = f.string("run");
  if (!is_run_name(m.run)) f.fail("run", "not a run directory name");
  m.inputs = f.strings("inputs");
  m.model = f.raw("model");
  m.files = verify_files(f.object("files"), state_path());
  return m;
}

std::string StateDir::verified_file(const Manifest& m, const std::string& name) const {
  if (!m.files.count(name)) {
    throw InputError((fs::path(state_path()) / "manifest.json").string(), 0,
                     "state manifest field 'files' lists no checksum for " + name +
                         " (corrupt or edited)");
  }
  return (fs::path(state_path()) / name).string();
}

std::string StateDir::begin_state() {
  std::string staged = (fs::path(root_) / staging_name("state")).string();
  make_fresh_dir(staged);
  return staged;
}

void StateDir::commit_state(const std::string& staged, Manifest manifest) {
  manifest.files.clear();
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(staged)) {
    std::string name = e.path().filename().string();
    if (name != "manifest.json" && e.is_regular_file()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    std::string file = (fs::path(staged) / name).string();
    fsync_file(file);
    manifest.files[name] = fingerprint_file(file);
  }
  write_file_atomic((fs::path(staged) / "manifest.json").string(), to_json(manifest).dump(1));
  fsync_dir(staged);
  replace_dir(staged, state_path());
}

std::string StateDir::begin_run(const std::string& name) {
  std::string staged = (fs::path(runs_path()) / staging_name(name)).string();
  make_fresh_dir(staged);
  return staged;
}

void StateDir::commit_run(const std::string& staged, const std::string& name) {
  write_file_atomic((fs::path(staged) / kCompleteMarker).string(), name + "\n");
  fsync_dir(staged);
  replace_dir(staged, run_path(name));
}

void StateDir::switch_latest(const std::string& name) {
  if (!run_complete(name)) throw RuntimeError("refusing to point latest at incomplete run " + name);
  switch_symlink("runs/" + name, latest_path());
}

std::string StateDir::latest_run() const {
  std::string target = read_symlink(latest_path());
  const std::string prefix = "runs/";
  return target.rfind(prefix, 0) == 0 ? target.substr(prefix.size()) : "";
}

bool StateDir::run_complete(const std::string& name) const {
  return !name.empty() && fs::exists(fs::path(run_path(name)) / kCompleteMarker);
}

std::vector<std::string> StateDir::runs() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(runs_path(), ec)) {
    std::string name = e.path().filename().string();
    if (name[0] != '.' && run_complete(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> StateDir::retain(int keep, const std::vector<std::string>& protect) {
  std::vector<std::string> removed;
  if (keep <= 0) return removed;
  std::vector<std::string> names = runs();
  // The oldest size - keep runs go, except protected ones (kept on top of the `keep` newest).
  std::size_t excess = names.size() > std::size_t(keep) ? names.size() - keep : 0;
  std::error_code ec;
  for (std::size_t i = 0; i < excess; ++i) {
    if (std::find(protect.begin(), protect.end(), names[i]) != protect.end()) continue;
    // Remove the marker first: a kill mid-removal leaves an incomplete dir recover() deletes.
    fs::remove(fs::path(run_path(names[i])) / kCompleteMarker, ec);
    fs::remove_all(run_path(names[i]), ec);
    removed.push_back(names[i]);
  }
  if (!removed.empty()) fsync_dir(runs_path());
  return removed;
}

}  // namespace segmint::nightly
