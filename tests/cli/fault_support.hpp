// Fault-test helpers: a small tmpfs mounted by the test (root only), filling it, making it
// read-only, and whether this build runs under AddressSanitizer (which needs a huge address space).
#pragma once
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "test_support.hpp"

namespace segmint::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAsanBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAsanBuild = true;
#else
inline constexpr bool kAsanBuild = false;
#endif
#else
inline constexpr bool kAsanBuild = false;
#endif

/// A tmpfs of `bytes` mounted at DIR/mnt for the test's lifetime. ok() is false (and reason()
/// says why) when the process may not mount (not root, no CAP_SYS_ADMIN, a container).
class Tmpfs {
 public:
  explicit Tmpfs(std::size_t bytes) : path_(dir_.file("mnt")) {
    fs::create_directory(path_);
    if (::geteuid() != 0) {
      reason_ = "not root: cannot mount a tmpfs to fill";
      return;
    }
    const std::string opts = "size=" + std::to_string(bytes);
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, opts.c_str()) != 0) {
      reason_ = std::string("cannot mount a tmpfs: ") + std::strerror(errno);
      return;
    }
    mounted_ = true;
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;

  bool ok() const { return mounted_; }
  const std::string& reason() const { return reason_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

  /// Writes a filler file until the file system is full; remove_filler() frees it again.
  void fill() {
    std::ofstream out(file(".filler"), std::ios::binary);
    const std::string block(4096, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
  }
  void remove_filler() { fs::remove(file(".filler")); }
  /// Remounts read-only (true on success) or read-write again.
  bool set_read_only(bool ro) {
    return ::mount("tmpfs", path_.c_str(), "tmpfs", MS_REMOUNT | (ro ? MS_RDONLY : 0), nullptr) == 0;
  }

 private:
  TempDir dir_;
  std::string path_;
  std::string reason_;
  bool mounted_ = false;
};

/// The regular files under `dir` (recursively, symlinks followed) by relative path -> content.
inline std::map<std::string, std::string> contents(const std::string& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    if (fs::is_regular_file(it->path())) out[it->path().lexically_relative(dir).string()] = read_file(it->path().string());
  }
  return out;
}

}  // namespace segmint::test
