// TEMPORARY STUB: replaced by the work that owns 'segmint generate'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_generate(int, char**) { throw RuntimeError("segmint generate: not implemented yet"); }
}  // namespace segmint::cli
