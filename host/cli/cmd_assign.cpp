// TEMPORARY STUB: replaced by the work that owns 'segmint assign'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_assign(int, char**) { throw RuntimeError("segmint assign: not implemented yet"); }
}  // namespace segmint::cli
