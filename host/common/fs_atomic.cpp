// rename/fsync/symlink primitives shared by the run outputs and the nightly state.
#include "common/fs_atomic.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "segmint/error.hpp"

namespace segmint {
namespace fs = std::filesystem;

std::string parent_dir(const std::string& path) {
  fs::path p = fs::path(path).parent_path();
  return p.empty() ? "." : p.string();
}

void rename_or_throw(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    throw RuntimeError("cannot rename " + from + " to " + to + ": " + std::strerror(errno));
  }
}

void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string temp_name(const std::string& path) {
  const fs::path p(path);
  return (p.parent_path() / ("." + p.filename().string() + ".tmp." + std::to_string(::getpid())))
      .string();
}

long temp_name_pid(const std::string& name) {
  const std::size_t at = name.rfind(".tmp.");
  if (name.size() < 2 || name[0] != '.' || at == std::string::npos) return 0;
  const std::string digits = name.substr(at + 5);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  return std::stol(digits);
}

bool process_gone(long pid) {
  if (pid == static_cast<long>(::getpid())) return true;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

int remove_stale_temps(const std::string& path) {
  const std::string prefix = "." + fs::path(path).filename().string() + ".tmp.";
  std::error_code ec;
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(parent_dir(path), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || name.find('.', prefix.size()) != std::string::npos) continue;
    const long pid = temp_name_pid(name);
    if (pid > 0 && process_gone(pid)) stale.push_back(e.path());
  }
  for (const auto& p : stale) fs::remove(p, ec);
  return static_cast<int>(stale.size());
}

void switch_symlink(const std::string& target, const std::string& link) {
  const std::string temp = temp_name(link);
  ::unlink(temp.c_str());
  if (::symlink(target.c_str(), temp.c_str()) != 0) {
    throw RuntimeError("cannot create symlink " + temp + ": " + std::strerror(errno));
  }
  rename_or_throw(temp, link);  // rename over an existing symlink is atomic
  fsync_dir(parent_dir(link));
}

std::string read_symlink(const std::string& link) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(link, ec))) return "";
  fs::path t = fs::read_symlink(link, ec);
  return ec ? "" : t.string();
}

void kill_point(const char* name) {
  const char* want = std::getenv("SEGMINT_TEST_KILL_POINT");
  if (want && std::strcmp(want, name) == 0) std::raise(SIGKILL);
}

}  // namespace segmint
