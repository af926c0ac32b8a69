// TEMPORARY STUB: replaced by the work that owns 'segmint sweep'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_sweep(int, char**) { throw RuntimeError("segmint sweep: not implemented yet"); }
}  // namespace segmint::cli
