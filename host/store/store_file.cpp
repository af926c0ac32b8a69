// StoreFile: opening, positional reads and validation of the event store's fixed sections.
#include "store/store_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "segmint/error.hpp"
#include "segmint/events.hpp"
#include "store/checksum.hpp"

namespace segmint::store {

StoreFile::StoreFile(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(path_, 0, std::string("cannot open: ") + std::strerror(errno));
  struct stat st;
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw InputError(path_, 0, "not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);  // larger read-ahead for the chunk walk
#endif
}

StoreFile::~StoreFile() {
  if (fd_ >= 0) ::close(fd_);
}

void StoreFile::corrupt(const std::string& what) const {
  throw InputError(path_, 0, "corrupt event store: " + what);
}

void StoreFile::read_at(std::uint64_t offset, void* out, std::size_t size) const {
  auto* p = static_cast<unsigned char*>(out);
  while (size > 0) {
    ssize_t n = ::pread(fd_, p, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError(path_, 0, std::string("read error: ") + std::strerror(errno));
    if (n == 0) {
      throw InputError(path_, 0, "truncated event store (file ended at byte " +
                                     std::to_string(offset) + ")");
    }
    p += n;
    offset += static_cast<std::uint64_t>(n);
    size -= static_cast<std::size_t>(n);
  }
}

Trailer StoreFile::read_layout() {
  unsigned char head[kHeaderBytes];
  std::size_t got = size_ < kHeaderBytes ? static_cast<std::size_t>(size_) : kHeaderBytes;
  read_at(0, head, got);
  if (got < sizeof kMagic || std::memcmp(head, kMagic, sizeof kMagic) != 0) {
    if (got >= 4 && std::memcmp(head, kMagic, 4) == 0) {
      throw InputError(path_, 0, "truncated event store (" + std::to_string(size_) + " bytes)");
    }
    throw InputError(path_, 0, "not a segmint event store (unknown magic bytes)");
  }
  if (got < kHeaderBytes) {
    throw InputError(path_, 0, "truncated event store (" + std::to_string(size_) +
                                   " bytes, shorter than its header)");
  }
  if (get64(head + 24) != checksum64(head, 24)) corrupt("header checksum mismatch");
  std::uint32_t version = get32(head + 8);
  if (version != kVersion) {
    throw InputError(path_, 0, "event store format version " + std::to_string(version) +
                                   " is not supported (this build reads version " +
                                   std::to_string(kVersion) + ")");
  }
  if (get32(head + 12) != kHeaderBytes || get32(head + 20) != kColumns ||
      get32(head + 16) == 0 || get32(head + 16) > kMaxChunkRows) {
    corrupt("header describes an unknown layout");
  }
  max_chunk_rows_ = get32(head + 16);

  unsigned char tail[kTrailerBytes];
  Trailer t;
  if (size_ < kHeaderBytes + kTrailerBytes) {
    throw InputError(path_, 0, "truncated event store (" + std::to_string(size_) +
                                   " bytes, no trailer)");
  }
  read_at(size_ - kTrailerBytes, tail, kTrailerBytes);
  if (std::memcmp(tail + kTrailerBytes - 8, kEndMagic, 8) != 0) {
    throw InputError(path_, 0, "truncated or incomplete event store (" + std::to_string(size_) +
                                   " bytes, no end marker)");
  }
  if (!decode_trailer(tail, t)) corrupt("trailer checksum mismatch");
  if (t.dict_offset < kHeaderBytes || t.dict_offset % 8 != 0 || t.dict_offset > size_ ||
      t.dict_bytes > size_ ||
      t.dict_offset + t.dict_bytes + kTrailerBytes != size_ || t.dict_bytes < 16) {
    corrupt("trailer offsets do not match the file size");
  }
  // The checksum matched; the values must still be possible (a crafted trailer feeds `info` and
  // the run's counts).
  constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 50;  // sums of a few cannot wrap
  std::uint64_t by_type = 0;
  for (std::uint64_t c : t.by_type) by_type += std::min(c, kMaxCount + 1);
  if (t.events > kMaxCount || t.source_rows > kMaxCount || t.bad_rows > kMaxCount ||
      t.rows_without_user > kMaxCount || t.orders > kMaxCount || t.cancelled_orders > t.orders ||
      by_type != t.events || t.users > t.events || t.chunk_count > t.events ||
      (t.events > 0 && t.chunk_count == 0)) {
    corrupt("trailer counts are inconsistent");
  }
  if (t.events > 0 && (!valid_event_time(t.min_time) || !valid_event_time(t.max_time) ||
                       t.min_time > t.max_time)) {
    corrupt("trailer time range is out of range (years 0000 to 9999)");
  }
  return t;
}

std::vector<std::string> StoreFile::read_dictionary(const Trailer& t) {
  std::vector<unsigned char> dict(t.dict_bytes);
  read_at(t.dict_offset, dict.data(), dict.size());
  if (checksum64(dict.data(), dict.size()) != t.dict_checksum) {
    corrupt("checksum mismatch in the user dictionary");
  }
  std::uint64_t n = get64(dict.data() + 8);
  if (get32(dict.data()) != kDictTag || n != t.users || n > (dict.size() - 16) / 4 ||
      16 + pad8(4 * n) > dict.size()) {
    corrupt("user dictionary header is inconsistent");
  }
  const unsigned char* len = dict.data() + 16;
  const unsigned char* text = len + pad8(4 * n);
  const unsigned char* end = dict.data() + dict.size();
  std::vector<std::string> ids(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint32_t l = get32(len + 4 * i);
    if (l > static_cast<std::size_t>(end - text)) corrupt("user dictionary overruns its section");
    ids[i].assign(reinterpret_cast<const char*>(text), l);
    text += l;
  }
  return ids;
}

}  // namespace segmint::store
