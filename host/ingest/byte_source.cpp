// Plain files through POSIX read(); gzip files through zlib's gzread (multi-member aware).
#include "ingest/byte_source.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/progress.hpp"
#include "segmint/error.hpp"

namespace segmint::ingest {
namespace {

class PlainSource : public ByteSource {
 public:
  PlainSource(std::string path, int fd, std::uint64_t at = 0, std::uint64_t left = UINT64_MAX)
      : path_(std::move(path)), fd_(fd), at_(at), left_(left) {}
  ~PlainSource() override { ::close(fd_); }
  void set_read_threads(int threads) override { threads_ = std::max(1, threads); }

  std::size_t read(char* dst, std::size_t cap) override {
    cap = static_cast<std::size_t>(std::min<std::uint64_t>(cap, left_));
    // Slices of at least 512 KiB, one per thread; the bytes are the same as one read's. (At
    // "at least 1 MiB" the chunk loader's reads, 1 MiB per thread less the carried partial
    // record, never split.)
    const int slices = static_cast<int>(std::min<std::size_t>(threads_, cap >> 19));
    std::size_t got = 0;
    if (slices <= 1) {
      const Slice p = read_at(dst, cap, at_);
      if (p.error) fail(p.error);
      got = p.got;
    } else {
      std::vector<Slice> part(static_cast<std::size_t>(slices));
      auto begin = [&](int i) { return cap * static_cast<std::size_t>(i) / slices; };
      // omp: cannot throw (read_at returns errors as errno; fail() runs after the region)
#pragma omp parallel for schedule(static, 1) num_threads(slices)
      for (int i = 0; i < slices; ++i)
        part[static_cast<std::size_t>(i)] = read_at(dst + begin(i), begin(i + 1) - begin(i), at_ + begin(i));
      for (int i = 0; i < slices; ++i) {  // in order: the first short slice is the end
        const Slice& p = part[static_cast<std::size_t>(i)];
        if (p.error) fail(p.error);
        got += p.got;
        if (p.got < begin(i + 1) - begin(i)) break;
      }
    }
    at_ += got;
    left_ -= got;
    progress::add_bytes_read(got);
    return got;
  }

 private:
  struct Slice {
    std::size_t got = 0;
    int error = 0;
  };
  // Up to `cap` bytes at offset `at`; short only at the end of the file (open_byte_source
  // reads the magic bytes with pread too: a pipe is refused there). Never throws (it runs
  // inside a parallel region): errors come back as errno.
  Slice read_at(char* dst, std::size_t cap, std::uint64_t at) const {
    Slice s;
    while (s.got < cap) {
      ssize_t n = ::pread(fd_, dst + s.got, cap - s.got, static_cast<off_t>(at + s.got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        s.error = errno;
        return s;
      }
      if (n == 0) break;
      s.got += static_cast<std::size_t>(n);
    }
    return s;
  }
  [[noreturn]] void fail(int error) const {
    throw InputError(path_, 0, std::string("cannot read: ") + std::strerror(error));
  }

  std::string path_;
  int fd_;
  std::uint64_t at_;    // file offset of the next byte
  std::uint64_t left_;  // bytes the range still holds
  int threads_ = 1;
};

class GzipSource : public ByteSource {
 public:
  GzipSource(std::string path, gzFile f) : path_(std::move(path)), f_(f) { gzip_ = true; }
  ~GzipSource() override { gzclose(f_); }
  std::size_t read(char* dst, std::size_t cap) override {
    std::size_t got = 0;
    while (got < cap) {
      // gzread takes an unsigned count: read in pieces well under 2^31.
      unsigned want = static_cast<unsigned>(std::min<std::size_t>(cap - got, 1u << 30));
      int n = gzread(f_, dst + got, want);
      if (n < 0) fail();
      if (n == 0) {
        int err = 0;
        gzerror(f_, &err);
        if (err != Z_OK) fail();
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    // Progress counts the compressed bytes, so "of total" compares with the file size.
    const z_off_t at = gzoffset(f_);
    if (at > consumed_) progress::add_bytes_read(static_cast<std::uint64_t>(at - consumed_));
    consumed_ = std::max(consumed_, at);
    return got;
  }

 private:
  z_off_t consumed_ = 0;
  [[noreturn]] void fail() {
    int err = 0;
    const char* msg = gzerror(f_, &err);
    std::string what = (err == Z_BUF_ERROR) ? "truncated gzip file (unexpected end of file)"
                                            : std::string("corrupt gzip data: ") + msg;
    throw InputError(path_, 0, what);
  }
  std::string path_;
  gzFile f_;
};

}  // namespace

bool is_gzip_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char magic[2] = {0, 0};
  ssize_t n = ::read(fd, magic, 2);
  ::close(fd);
  return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

std::unique_ptr<ByteSource> open_byte_source(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  unsigned char magic[2] = {0, 0};
  ssize_t n = ::pread(fd, magic, 2, 0);
  if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    gzFile f = gzdopen(fd, "rb");
    if (!f) {
      ::close(fd);
      throw InputError(path, 0, "cannot open gzip stream");
    }
    gzbuffer(f, 1u << 18);
    return std::make_unique<GzipSource>(path, f);
  }
  if (n < 0) {
    int e = errno;
    ::close(fd);
    throw InputError(path, 0, std::string("cannot read: ") + std::strerror(e));
  }
  return std::make_unique<PlainSource>(path, fd);
}

}  // namespace segmint::ingest

namespace segmint::ingest {

std::unique_ptr<ByteSource> open_byte_range(const std::string& path, std::uint64_t begin,
                                            std::uint64_t end) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  return std::make_unique<PlainSource>(path, fd, begin, end > begin ? end - begin : 0);
}

}  // namespace segmint::ingest
