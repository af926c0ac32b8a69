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

}  // namespace segmint
