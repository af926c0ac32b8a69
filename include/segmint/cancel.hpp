// Cooperative cancellation: long loops (Lloyd iterations, init steps, restarts, event batches)
// poll a check that the embedding program installs (the Python module: Ctrl-C); a cancelled
// computation throws Cancelled between steps, never from inside a parallel region.
#pragma once
#include "segmint/error.hpp"

namespace segmint {

/// Thrown by throw_if_cancelled() when the installed check asked to stop.
class Cancelled : public Error {
 public:
  Cancelled() : Error(ErrorKind::runtime, "cancelled") {}
};

/// Returns true when the running computation should stop. Called from the thread that runs the
/// computation, outside OpenMP regions, at most a few times per pass over the data.
using CancelCheck = bool (*)();

/// Installs `check` for the whole process (nullptr removes it).
void set_cancel_check(CancelCheck check) noexcept;

/// Throws Cancelled when the installed check returns true; one atomic load when none is set.
void throw_if_cancelled();

}  // namespace segmint
