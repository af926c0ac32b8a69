// common/huge_pages: the advice reaches the kernel for whole 2 MB pages inside a range, and
// reserve_huge is an ordinary reserve for the vector's contents.
#include "common/huge_pages.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <numeric>
#include <string>

namespace segmint {
namespace {

// The mode line of the kernel's THP switch, e.g. "always [madvise] never"; empty if absent.
std::string thp_mode() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  std::getline(f, line);
  return line;
}

// AnonHugePages of this process, in kB (-1 when /proc does not say).
long anon_huge_kb() {
  std::ifstream f("/proc/self/smaps_rollup");
  std::string key;
  long kb = -1;
  while (f >> key) {
    if (key == "AnonHugePages:") {
      f >> kb;
      return kb;
    }
    f.ignore(1 << 20, '\n');
  }
  return kb;
}

TEST(HugePages, RangesWithoutAWholeHugePageAreNotAdvised) {
  EXPECT_FALSE(advise_huge_pages(nullptr, 8u << 20));
  alignas(64) static char small[4096];
  EXPECT_FALSE(advise_huge_pages(small, sizeof small));
  // 3 MB starting 1 byte after a 2 MB boundary holds no whole aligned 2 MB page.
  const auto at = reinterpret_cast<const void*>(std::uintptr_t{2} << 30 | 1);
  EXPECT_FALSE(advise_huge_pages(at, 3u << 20));
}

TEST(HugePages, ReserveHugeKeepsContentsAndGrowsOnlyWhenNeeded) {
  std::vector<std::int32_t> v(1000);
  std::iota(v.begin(), v.end(), -500);
  reserve_huge(v, 4u << 20);
  ASSERT_GE(v.capacity(), 4u << 20);
  ASSERT_EQ(v.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(v[i], i - 500);
  const std::int32_t* data = v.data();
  reserve_huge(v, 1000);  // already large enough: no reallocation
  EXPECT_EQ(v.data(), data);
}

TEST(HugePages, AdvisedStorageIsBackedByHugePagesWhereTheKernelOffersThem) {
  const std::string mode = thp_mode();
  if (mode.find("[always]") == std::string::npos && mode.find("[madvise]") == std::string::npos)
    GTEST_SKIP() << "transparent huge pages are off here (" << (mode.empty() ? "no switch" : mode)
                 << ")";
  const long before = anon_huge_kb();
  if (before < 0) GTEST_SKIP() << "/proc/self/smaps_rollup has no AnonHugePages line";
  std::vector<float> v;
  reserve_huge(v, 8u << 20);  // 32 MB: at least fifteen whole 2 MB pages inside
  v.assign(8u << 20, 1.5f);   // first touch after the advice
  EXPECT_GE(anon_huge_kb() - before, 2048) << "THP mode: " << mode;
  EXPECT_EQ(v[12345], 1.5f);
}

}  // namespace
}  // namespace segmint
