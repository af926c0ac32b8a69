// TEMPORARY STUB: replaced by the work that owns 'segmint info'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_info(int, char**) { throw RuntimeError("segmint info: not implemented yet"); }
}  // namespace segmint::cli
