// cuBLAS loaded on first use: the library by its soname (the loader's search path and this
// binary's run path), then from the toolkit this was built with.
#include "core/cublas_lazy.hpp"

#include <dlfcn.h>

#include <atomic>
#include <mutex>
#include <string>

#include "segmint/error.hpp"

#ifndef SEGMINT_CUBLAS_DIR
#define SEGMINT_CUBLAS_DIR ""
#endif

namespace segmint::cuda::blas {
namespace {

std::atomic<bool> g_loaded{false};

void* open_library() {
  const std::string soname = "libcublas.so." + std::to_string(CUBLAS_VER_MAJOR);
  std::string why;
  for (const std::string& path : {soname, std::string(SEGMINT_CUBLAS_DIR) + "/" + soname}) {
    if (void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) return h;
    const char* e = dlerror();
    why += std::string(why.empty() ? "" : "; ") + (e ? e : path + ": not found");
  }
  throw DeviceError("cannot load cuBLAS (" + soname + "), needed by the GPU k-means: " + why);
}

template <class F>
void bind(void* lib, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(lib, name));
  if (!f) throw DeviceError(std::string("cuBLAS has no entry point ") + name);
}

Api load() {
  void* lib = open_library();  // kept open for the life of the process
  Api a{};
  bind(lib, "cublasCreate_v2", a.create);
  bind(lib, "cublasDestroy_v2", a.destroy);
  bind(lib, "cublasSetStream_v2", a.set_stream);
  bind(lib, "cublasSetMathMode", a.set_math_mode);
  bind(lib, "cublasSetWorkspace_v2", a.set_workspace);
  bind(lib, "cublasSgemm_v2", a.sgemm);
  bind(lib, "cublasGetStatusName", a.status_name);
  bind(lib, "cublasGetStatusString", a.status_string);
  g_loaded = true;
  return a;
}

}  // namespace

const Api& api() {
  static const Api loaded_api = load();  // a throw leaves it unset: the next call tries again
  return loaded_api;
}

bool loaded() noexcept { return g_loaded; }

}  // namespace segmint::cuda::blas
