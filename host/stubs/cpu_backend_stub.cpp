// TEMPORARY STUB: replaced by the CPU k-means work (delete this file then).
#include "segmint/backend.hpp"
#include "segmint/error.hpp"
namespace segmint {
std::unique_ptr<Backend> make_cpu_backend(int) { throw RuntimeError("stub"); }
}  // namespace segmint
