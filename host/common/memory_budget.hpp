// The host memory budget (--memory-budget): a clear refusal before a stage allocates past it.
#pragma once
#include <cstddef>
#include <string>

namespace segmint {

/// "1.5 GiB", "300 MiB", "12 KiB", "17 B".
std::string format_bytes(std::size_t bytes);

/// Throws RuntimeError (exit 3) when `budget` (bytes, 0 = none) is below `need`: "memory budget
/// of B exceeded: WHAT needs N; ...". Call before allocating what `need` counts.
void require_memory(std::size_t budget, std::size_t need, const std::string& what);

/// Hands the heap's free pages back to the system (glibc's malloc_trim; nothing elsewhere), so
/// that memory a stage freed in many small pieces does not stay counted while later stages
/// allocate large arrays that cannot reuse it.
void return_free_memory();

}  // namespace segmint
