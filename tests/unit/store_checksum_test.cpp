// The block checksum: every single-bit change of the input changes it, at every length that
// exercises the stripe, word and byte paths; the seed matters; equal input, equal checksum.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "store/checksum.hpp"

namespace segmint::test {
namespace {

TEST(StoreChecksum, EveryBitFlipChangesIt) {
  std::mt19937_64 rng(std::random_device{}());
  for (std::size_t n : {1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 257}) {
    std::vector<unsigned char> data(n);
    for (auto& b : data) b = static_cast<unsigned char>(rng());
    const std::uint64_t base = store::checksum64(data.data(), n);
    EXPECT_EQ(store::checksum64(data.data(), n), base);
    for (std::size_t i = 0; i < n; ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        data[i] ^= static_cast<unsigned char>(1u << bit);
        EXPECT_NE(store::checksum64(data.data(), n), base) << "length " << n << " byte " << i;
        data[i] ^= static_cast<unsigned char>(1u << bit);
      }
    }
  }
}

TEST(StoreChecksum, LengthAndSeedMatter) {
  const std::vector<unsigned char> zeros(64, 0);
  std::set<std::uint64_t> seen;
  for (std::size_t n = 0; n <= 64; ++n) seen.insert(store::checksum64(zeros.data(), n));
  EXPECT_EQ(seen.size(), 65u);  // zero runs of different lengths never collide
  EXPECT_NE(store::checksum64(zeros.data(), 16, 1), store::checksum64(zeros.data(), 16, 2));
}

}  // namespace
}  // namespace segmint::test
