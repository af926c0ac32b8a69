// What every binding shares: native work with the GIL released and Ctrl-C polled, numpy arrays
// that own C++ vectors (no copy on the way out), and the mapping of segmint errors to Python's.
#pragma once
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstddef>
#include <initializer_list>
#include <utility>
#include <vector>

namespace segmint::python {

namespace nb = nanobind;

/// Installs the Ctrl-C check (segmint/cancel.hpp) for the lifetime of the guard; nests.
class CancelScope {
 public:
  CancelScope();
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;
};

/// Runs f() with the GIL released and Ctrl-C polled by the core's long loops: a SIGINT makes
/// the core throw Cancelled, which reaches Python as KeyboardInterrupt.
template <typename F>
auto without_gil(F&& f) -> decltype(f()) {
  nb::gil_scoped_release release;
  CancelScope cancel;
  return f();
}

/// A numpy array of `shape` that owns `values` (moved into a capsule; no copy).
template <typename T>
nb::ndarray<nb::numpy, T> to_numpy(std::vector<T>&& values,
                                   std::initializer_list<std::size_t> shape) {
  auto* owned = new std::vector<T>(std::move(values));
  nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  return nb::ndarray<nb::numpy, T>(owned->data(), shape.size(), shape.begin(), owner);
}

/// Registers the translators: InputError/UsageError and bad options -> ValueError, Cancelled ->
/// KeyboardInterrupt, every other segmint error (runtime, device, locked) -> RuntimeError.
void register_errors(nb::module_& m);

void bind_kmeans(nb::module_& m);  // bind_kmeans.cpp
void bind_run(nb::module_& m);     // bind_run.cpp

}  // namespace segmint::python
