// An open event store file: the descriptor, positional reads, and the checks of its fixed parts
// (header, trailer, dictionary) that come before any chunk is read.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "store/store_format.hpp"

namespace segmint::store {

class StoreFile {
 public:
  /// Opens `path`; InputError when it cannot be opened.
  explicit StoreFile(std::string path);
  ~StoreFile();
  StoreFile(const StoreFile&) = delete;
  StoreFile& operator=(const StoreFile&) = delete;

  /// Checks header (magic, version, checksum) and trailer (end magic, checksum, offsets) and
  /// returns the trailer. InputError naming the file and what is wrong otherwise.
  Trailer read_layout();
  /// Reads and verifies the dictionary section; ids in store-local order.
  std::vector<std::string> read_dictionary(const Trailer& t);
  /// Reads exactly `size` bytes at `offset`; InputError (truncated) on a short read.
  void read_at(std::uint64_t offset, void* out, std::size_t size) const;
  /// Throws InputError "PATH: corrupt event store: WHAT".
  [[noreturn]] void corrupt(const std::string& what) const;
  std::uint64_t size() const { return size_; }
  /// The header's bound on events per chunk (valid after read_layout()).
  std::uint32_t max_chunk_rows() const { return max_chunk_rows_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::uint32_t max_chunk_rows_ = 0;
};

}  // namespace segmint::store
