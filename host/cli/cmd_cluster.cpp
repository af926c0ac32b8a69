// TEMPORARY STUB: replaced by the work that owns 'segmint cluster'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_cluster(int, char**) { throw RuntimeError("segmint cluster: not implemented yet"); }
}  // namespace segmint::cli
