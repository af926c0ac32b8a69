// DirLock: non-blocking flock on DIR/.lock with the holder's pid written inside.
#include "nightly/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "segmint/error.hpp"

namespace segmint::nightly {

DirLock::DirLock(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / ".lock").string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw RuntimeError("cannot open lock file " + path + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    char buf[32] = {0};
    ssize_t got = ::pread(fd_, buf, sizeof buf - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) {
      throw RuntimeError("cannot lock " + path + ": " + std::strerror(err));
    }
    std::string pid = got > 0 ? std::string(buf, std::strcspn(buf, "\n")) : "";
    throw LockedError("another segmint nightly is running on " + dir +
                      (pid.empty() ? "" : " (pid " + pid + ")") + "; lock file " + path +
                      " is held. Try again when it finishes.");
  }
  // Record our pid for the message another run will print; the content is informational only.
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] ssize_t w = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace segmint::nightly
