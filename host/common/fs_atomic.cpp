// rename/fsync/symlink primitives shared by the run outputs and the nightly state.
#include "common/fs_atomic.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

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

void switch_symlink(const std::string& target, const std::string& link) {
  fs::path l(link);
  std::string temp =
      (l.parent_path() / ("." + l.filename().string() + ".tmp." + std::to_string(::getpid())))
          .string();
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
