#include "common/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdint>

namespace segmint {

bool advise_huge_pages(const void* p, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto lo = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const auto hi = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (p == nullptr || hi <= lo) return false;
#ifdef MADV_HUGEPAGE
  return madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE) == 0;
#else
  return false;
#endif
}

void touch_pages(void* p, std::size_t bytes, int threads) {
  constexpr std::size_t kPage = 4096;
  auto* bytes_at = static_cast<volatile unsigned char*>(p);  // volatile: the stores stay
  const std::size_t pages = (bytes + kPage - 1) / kPage;
  if (pages == 0) return;
  // omp: cannot throw (stores into allocated storage): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::size_t q = 0; q < pages; ++q) bytes_at[q * kPage] = 0;
}

}  // namespace segmint
