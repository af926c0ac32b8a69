// Helpers shared by the libFuzzer targets: the input as a file (readers take paths), and the
// rule every target enforces: inputs may be rejected only with segmint's own errors.
#pragma once
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "segmint/error.hpp"

namespace segmint::fuzz {

/// The fuzz input as an anonymous in-memory file, opened by path (/proc/self/fd/N).
class MemFile {
 public:
  MemFile(const std::uint8_t* data, std::size_t size) {
    fd_ = ::memfd_create("segmint-fuzz", 0);
    if (fd_ < 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
      ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

/// Runs `body`; segmint::Error (bad input, exit 2/3 in the CLI) is an expected outcome. Any other
/// exception escapes and libFuzzer reports it as a crash: it would be an "internal error".
template <class F>
void expect_only_segmint_errors(F&& body) {
  try {
    body();
  } catch (const segmint::Error&) {
  }
}

/// A check that must hold for every input (a failed one is a finding).
#define SEGMINT_FUZZ_CHECK(cond)                                              \
  do {                                                                        \
    if (!(cond)) {                                                            \
      std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, \
                   __LINE__);                                                 \
      std::abort();                                                           \
    }                                                                         \
  } while (0)

}  // namespace segmint::fuzz
