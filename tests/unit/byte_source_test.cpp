// Plain-file byte sources: a read split into per-thread pread slices returns exactly the bytes
// of one serial read, for whole files and byte ranges, whatever the sizes of file and reads.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ingest/byte_source.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

std::string random_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// Everything `src` returns when read `step` bytes at a time.
std::string drain(ingest::ByteSource& src, std::size_t step) {
  std::string out, buf(step, '\0');
  while (std::size_t n = src.read(buf.data(), buf.size())) out.append(buf.data(), n);
  return out;
}

TEST(ByteSource, ParallelSlicesReturnTheSerialBytes) {
  TempDir dir;
  // Sizes around the 512 KiB slice and the read size: the last read is short, empty or exact.
  // A read of 2 MiB less a carried record is the chunk loader's on 2 threads (two slices).
  for (std::size_t size : {std::size_t{0}, std::size_t{5}, (std::size_t{3} << 20) + 12345,
                           std::size_t{5} << 20, (std::size_t{7} << 20) - 1}) {
    const std::string bytes = random_bytes(size, size + 1);
    const std::string path = dir.file("f" + std::to_string(size));
    write_file(path, bytes);
    for (int threads : {1, 2, 3, 8}) {
      for (std::size_t step : {std::size_t{1} << 16, (std::size_t{2} << 20) - 100,
                                std::size_t{5} << 20, std::size_t{9} << 20}) {
        auto src = ingest::open_byte_source(path);
        src->set_read_threads(threads);
        EXPECT_EQ(drain(*src, step), bytes) << size << " bytes, " << threads << " threads, "
                                            << step << " per read";
      }
    }
  }
}

TEST(ByteSource, RangesReadInParallelStopAtTheirEnd) {
  TempDir dir;
  const std::string bytes = random_bytes(std::size_t{6} << 20, 7);
  const std::string path = dir.file("f");
  write_file(path, bytes);
  const std::uint64_t begin = 1'000'003, end = (std::uint64_t{5} << 20) + 17;
  auto src = ingest::open_byte_range(path, begin, end);
  src->set_read_threads(4);
  EXPECT_EQ(drain(*src, std::size_t{8} << 20), bytes.substr(begin, end - begin));
}

}  // namespace
}  // namespace segmint::test
