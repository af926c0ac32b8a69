// TEMPORARY STUB: replaced by the work that owns 'segmint run'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_run(int, char**) { throw RuntimeError("segmint run: not implemented yet"); }
}  // namespace segmint::cli
