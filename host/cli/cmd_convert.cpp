// TEMPORARY STUB: replaced by the work that owns 'segmint convert'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_convert(int, char**) { throw RuntimeError("segmint convert: not implemented yet"); }
}  // namespace segmint::cli
