// The backend factory: the only host file that knows whether the CUDA backend was compiled in.
#include <string>

#include "backends/cpu_backend.hpp"
#include "backends/cuda_entry.hpp"
#include "segmint/backend.hpp"
#include "segmint/error.hpp"

namespace segmint {

bool cuda_backend_compiled() noexcept {
#ifdef SEGMINT_WITH_CUDA
  return true;
#else
  return false;
#endif
}

DeviceChoice parse_device_choice(const std::string& text) {
  if (text == "auto") return DeviceChoice::automatic;
  if (text == "cpu") return DeviceChoice::cpu;
  if (text == "gpu" || text == "cuda") return DeviceChoice::gpu;
  throw UsageError("--device must be auto, cpu or gpu, not '" + text + "'");
}

std::unique_ptr<Backend> make_backend(const BackendOptions& options,
                                      std::string* fallback_reason) {
  if (fallback_reason) fallback_reason->clear();
  if (options.device == DeviceChoice::cpu) return make_cpu_backend(options.cpu_threads);
  std::string why;
#ifdef SEGMINT_WITH_CUDA
  if (cuda_device_usable(&why)) return make_cuda_backend(options);
#else
  why = "this build of segmint has no CUDA backend (configured with SEGMINT_CUDA=OFF or no nvcc)";
#endif
  if (options.device == DeviceChoice::gpu) throw DeviceError("--device gpu: " + why);
  if (fallback_reason) *fallback_reason = why;
  return make_cpu_backend(options.cpu_threads);
}

}  // namespace segmint
