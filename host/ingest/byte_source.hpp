// Bounded reads from one input file, plain or gzip (detected by its magic bytes).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace segmint::ingest {

/// A forward-only byte stream. read() never holds more than the caller's buffer in memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `cap` bytes into `dst`; returns 0 only at the end of the input.
  /// Throws InputError("FILE: ...") for unreadable, truncated or corrupt input.
  virtual std::size_t read(char* dst, std::size_t cap) = 0;
  bool gzip() const noexcept { return gzip_; }
  /// Threads a large read() of a plain file may use (each copies its own slice with pread:
  /// the kernel's copy out of the page cache is ~10% of reading a CSV). Default 1.
  virtual void set_read_threads(int) {}

 protected:
  bool gzip_ = false;
};

/// Opens `path`; gzip when the file starts with 1f 8b. Throws InputError when it cannot be opened.
std::unique_ptr<ByteSource> open_byte_source(const std::string& path);

/// Bytes [begin, end) of a plain (not gzip) file: one MPI rank's share of a large CSV.
std::unique_ptr<ByteSource> open_byte_range(const std::string& path, std::uint64_t begin,
                                            std::uint64_t end);

/// True when the file's first two bytes are the gzip magic.
bool is_gzip_file(const std::string& path);

}  // namespace segmint::ingest
