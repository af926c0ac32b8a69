// TEMPORARY STUB: replaced by the work that owns 'segmint nightly'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_nightly(int, char**) { throw RuntimeError("segmint nightly: not implemented yet"); }
}  // namespace segmint::cli
