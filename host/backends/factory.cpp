// The backend factory: the only host file that knows whether the CUDA backend was compiled in.
#include <string>

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

std::unique_ptr<Backend> make_backend(DeviceChoice choice, int cpu_threads, std::string* reason) {
  if (choice == DeviceChoice::cpu) return make_cpu_backend(cpu_threads);
  std::string why;
#ifdef SEGMINT_WITH_CUDA
  if (cuda_device_usable(&why)) return make_cuda_backend();
#else
  why = "this build of segmint has no CUDA backend (configured with SEGMINT_CUDA=OFF or no nvcc)";
#endif
  if (choice == DeviceChoice::gpu) throw DeviceError("--device gpu: " + why);
  if (reason) *reason = why;
  return make_cpu_backend(cpu_threads);
}

}  // namespace segmint
