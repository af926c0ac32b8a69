// fs_ops: the rename/fsync primitives every nightly commit is built from.
#include "nightly/fs_ops.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "segmint/error.hpp"

namespace segmint::nightly {
namespace fs = std::filesystem;


void replace_dir(const std::string& staged, const std::string& target) {
  const std::string parent = parent_dir(target);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(target))) {
    rename_or_throw(staged, target);
    fsync_dir(parent);
    return;
  }
  if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    fsync_dir(parent);
    fs::remove_all(staged, ec);  // now holds the old content
    return;
  }
  if (errno != EINVAL && errno != ENOSYS) {
    throw RuntimeError("cannot exchange " + staged + " and " + target + ": " +
                       std::strerror(errno));
  }
  std::string aside = (fs::path(parent) / ("." + fs::path(target).filename().string() +
                                           ".old." + std::to_string(::getpid())))
                          .string();
  rename_or_throw(target, aside);
  rename_or_throw(staged, target);
  fsync_dir(parent);
  fs::remove_all(aside, ec);
}

int recover_aside(const std::string& parent) {
  int handled = 0;
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return 0;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(parent, ec)) entries.push_back(e.path());
  for (const auto& p : entries) {
    std::string name = p.filename().string();
    auto pos = name.rfind(".old.");
    if (name.size() < 2 || name[0] != '.' || pos == std::string::npos || pos == 0) continue;
    fs::path original = p.parent_path() / name.substr(1, pos - 1);
    if (!fs::exists(fs::symlink_status(original))) {
      rename_or_throw(p.string(), original.string());
    } else {
      fs::remove_all(p, ec);
    }
    ++handled;
  }
  if (handled) fsync_dir(parent);
  return handled;
}

std::uint64_t hash_bytes(const void* data, std::size_t size, std::uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t h = seed;
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

std::string FileFingerprint::text() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%llu:%016llx", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(hash));
  return buf;
}

FileFingerprint fingerprint_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  FileFingerprint f;
  f.hash = 14695981039346656037ull;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::size_t got = static_cast<std::size_t>(in.gcount());
    f.hash = hash_bytes(buf.data(), got, f.hash);
    f.size += got;
  }
  if (in.bad()) throw RuntimeError("cannot read " + path);
  return f;
}

}  // namespace segmint::nightly
