// The nightly lock: one run per state directory at a time.
#pragma once
#include <string>

namespace segmint::nightly {

/// Holds an exclusive flock on DIR/.lock for its lifetime. The kernel drops the lock when the
/// process dies (even by kill -9), so a stale lock file never blocks the next night.
class DirLock {
 public:
  /// Takes the lock without waiting. Throws LockedError naming the holder's pid (recorded in the
  /// file) when another process holds it; RuntimeError when the file cannot be opened.
  explicit DirLock(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace segmint::nightly
