// format_bytes, require_memory (the one wording of a --memory-budget refusal), return_free_memory.
#include "common/memory_budget.hpp"

#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "segmint/error.hpp"

namespace segmint {

std::string format_bytes(std::size_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

void require_memory(std::size_t budget, std::size_t need, const std::string& what) {
  if (budget == 0 || need <= budget) return;
  throw RuntimeError("memory budget of " + format_bytes(budget) + " exceeded: " + what +
                     " needs " + format_bytes(need) +
                     "; raise --memory-budget, lower --batch-rows, or split the input by user");
}

void return_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace segmint
