// The GIL/Ctrl-C scope and the error translators of the Python module.
#include "bind_common.hpp"

#include <atomic>
#include <cxxopts.hpp>

#include "segmint/cancel.hpp"
#include "segmint/error.hpp"

namespace segmint::python {
namespace {

std::atomic<int> g_scopes{0};

// Polled by the core between steps (never inside a parallel region): runs Python's signal
// handlers, which leave KeyboardInterrupt set on this thread when Ctrl-C was pressed.
bool interrupted() {
  nb::gil_scoped_acquire gil;
  return PyErr_CheckSignals() != 0;
}

}  // namespace

CancelScope::CancelScope() {
  if (g_scopes.fetch_add(1) == 0) set_cancel_check(&interrupted);
}

CancelScope::~CancelScope() {
  if (g_scopes.fetch_sub(1) == 1) set_cancel_check(nullptr);
}

void register_errors(nb::module_&) {
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const Cancelled&) {
      if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const Error& e) {
      const bool bad_input = e.kind() == ErrorKind::input || e.kind() == ErrorKind::usage;
      PyErr_SetString(bad_input ? PyExc_ValueError : PyExc_RuntimeError, e.what());
    } catch (const cxxopts::exceptions::exception& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
}

}  // namespace segmint::python
