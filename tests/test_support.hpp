// Helpers shared by tests: temporary directories, running the CLI, reading files, locating the
// shared real data sets and a Python that has scikit-learn.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace segmint::test {

namespace fs = std::filesystem;

/// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = fs::temp_directory_path() / ("segmint-test-" + std::to_string(rd()));
      if (fs::create_directory(path_)) return;
    }
    throw std::runtime_error("cannot create a temp dir");
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

/// Quotes one shell word.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct CliResult {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// The segmint executable the CLI tests run: $SEGMINT_TEST_EXE when set (to run the same tests
/// against another build, e.g. to show a regression test failing before its fix), else the
/// one built with the tests.
inline std::string segmint_exe() {
  const char* exe = std::getenv("SEGMINT_TEST_EXE");
  return exe && *exe ? exe : SEGMINT_EXE;
}

/// Runs the segmint executable with `args`; captures stdout and stderr through files.
inline CliResult run_cli(const std::vector<std::string>& args, const std::string& env = "") {
  static int counter = 0;
  fs::path base = fs::temp_directory_path() /
                  ("segmint-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::string cmd = env.empty() ? "" : env + " ";
  cmd += shell_quote(segmint_exe());
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote(base.string() + ".out") + " 2>" + shell_quote(base.string() + ".err");
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(base.string() + ".out");
  r.err = read_file(base.string() + ".err");
  fs::remove(base.string() + ".out");
  fs::remove(base.string() + ".err");
  return r;
}

/// Path of a file in ../shared/datasets (or in $SEGMINT_DATASETS, for checkouts elsewhere, e.g.
/// git worktrees) when present.
inline std::optional<std::string> shared_dataset(const std::string& name) {
  if (const char* env = std::getenv("SEGMINT_DATASETS")) {
    fs::path p = fs::path(env) / name;
    if (fs::exists(p)) return p.string();
  }
  fs::path p = fs::path(SEGMINT_SHARED_DATASETS) / name;
  if (fs::exists(p)) return p.string();
  return std::nullopt;
}

/// A python3 that can import `modules` ("sklearn, numpy"): $SEGMINT_PYTHON, /usr/bin/python3,
/// or python3 on PATH.
inline std::optional<std::string> python_with(const std::string& modules) {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("SEGMINT_PYTHON")) candidates.push_back(env);
  candidates.push_back("/usr/bin/python3");
  candidates.push_back("python3");
  for (const auto& py : candidates) {
    std::string cmd = shell_quote(py) + " -c " + shell_quote("import " + modules) + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return py;
  }
  return std::nullopt;
}

/// A python3 that can import sklearn and numpy (see python_with).
inline std::optional<std::string> python_with_sklearn() { return python_with("sklearn, numpy"); }

/// Files in a directory (names only), sorted.
inline std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// Starts the segmint executable with `args` (stderr to /dev/null), kills it with SIGKILL after
/// `delay` and waits for it: a kill at a moment the caller picks (crash-safety tests).
inline void run_and_kill_after(std::vector<std::string> args, std::chrono::microseconds delay) {
  std::string exe = segmint_exe();
  std::vector<char*> argv{exe.data()};
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + exe);
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

/// A run's output directory after a complete commit (outputs/output_dir.hpp): the store
/// .segmint holds the `current` link and exactly one generation, nothing left over.
inline bool one_generation_in(const std::string& out_dir) {
  const std::vector<std::string> store = list_dir(out_dir + "/.segmint");
  return store.size() == 2 && store[0] == "current" && store[1].rfind("run-", 0) == 0;
}

}  // namespace segmint::test
