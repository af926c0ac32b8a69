// TEMPORARY STUB: replaced by the work that owns 'segmint features'.
#include "cli/commands.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
int cmd_features(int, char**) { throw RuntimeError("segmint features: not implemented yet"); }
}  // namespace segmint::cli
