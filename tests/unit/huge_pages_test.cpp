// common/huge_pages: the advice reaches the kernel for whole 2 MB pages inside a range, and
// reserve_huge and huge_vector's threads are invisible in the vector's contents.
#include "common/huge_pages.hpp"

#include <gtest/gtest.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <numeric>
#include <sstream>
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

// AnonHugePages of the mappings that overlap [p, p + bytes), in kB (-1 when /proc does not say).
// Only those (the advice splits the vector's mapping at 2 MB boundaries): the process-wide count
// (smaps_rollup) also moves when the kernel splits another mapping's huge pages later (deferred
// splitting), which failed this test inside the full suite.
long anon_huge_kb(const void* p, std::size_t bytes) {
  std::ifstream f("/proc/self/smaps");
  const auto a = reinterpret_cast<std::uintptr_t>(p), z = a + bytes;
  std::string line;
  bool inside = false, seen = false;
  long kb = 0;
  while (std::getline(f, line)) {
    unsigned long lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {  // a mapping's first line
      inside = lo < z && a < hi;
      continue;
    }
    if (inside && line.rfind("AnonHugePages:", 0) == 0) {
      kb += std::stol(line.substr(14));
      seen = true;
    }
  }
  return seen ? kb : -1;
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
  // Inside the full suite glibc served the 32 MB from free heap memory that earlier tests had
  // faulted in with 4 KB pages (their frees had raised its mmap threshold), where no advice can
  // change the pages: malloc_trim hands free heap memory back, so whatever storage the vector
  // gets is faulted in afresh, after the advice.
#ifdef __GLIBC__
  malloc_trim(0);
#endif
  std::vector<float> v;
  reserve_huge(v, 8u << 20);  // 32 MB: fifteen whole 2 MB pages inside
  v.assign(8u << 20, 1.5f);   // first touch after the advice
  const long kb = anon_huge_kb(v.data(), v.size() * sizeof(float));
  if (kb < 0) GTEST_SKIP() << "/proc/self/smaps has no AnonHugePages line for the vector";
  EXPECT_GE(kb, 2048) << "THP mode: " << mode;
  EXPECT_EQ(v[12345], 1.5f);
}

// The threads that fault the storage in first change nothing of the contents: n copies of the
// value for sizes that end inside a page and inside a huge page, and none at all.
TEST(HugePages, HugeVectorTouchedByThreadsHoldsTheValue) {
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1023},
                              std::size_t{(3u << 20) / 4 + 7}, std::size_t{1u << 21}}) {
    for (const int threads : {1, 2, 3}) {
      const std::vector<std::int32_t> v = huge_vector<std::int32_t>(n, -7, threads);
      ASSERT_EQ(v.size(), n);
      ASSERT_EQ(std::count(v.begin(), v.end(), -7), static_cast<std::ptrdiff_t>(n))
          << n << " rows, " << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace segmint
