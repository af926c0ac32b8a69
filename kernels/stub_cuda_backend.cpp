// TEMPORARY STUB: replaced by the GPU k-means work (delete this file then).
#include "cuda_entry.hpp"
#include "segmint/error.hpp"
namespace segmint {
bool cuda_device_usable(std::string* reason) { if (reason) *reason = "stub"; return false; }
std::unique_ptr<Backend> make_cuda_backend() { throw DeviceError("stub"); }
}  // namespace segmint
