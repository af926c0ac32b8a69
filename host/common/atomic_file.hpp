// Crash-safe output: write to a temporary file beside the target, fsync, rename on commit.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

namespace segmint {

/// A file that appears at `path` only when commit() succeeds. A crash or an exception before
/// commit leaves any previous file at `path` untouched (the temp file is removed by the
/// destructor; one left by a kill -9 is named `.<name>.tmp.<pid>` and ignored by readers).
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);
  void write(const void* data, std::size_t size);
  std::FILE* stream() { return file_; }
  /// Flushes, fsyncs and renames over `path`. Throws RuntimeError on failure.
  void commit();
  const std::string& path() const { return path_; }

 private:
  static constexpr std::size_t kWritebackBytes = 1u << 20;  ///< write() bytes between hints
  void start_writeback();
  std::string path_, temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  std::size_t unsent_ = 0;  ///< bytes written since the last start_writeback
  long long sent_ = 0;      ///< file offset up to which the disk write was started
};

/// Writes `bytes` to `path` atomically.
void write_file_atomic(const std::string& path, std::string_view bytes);

}  // namespace segmint
