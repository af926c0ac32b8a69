// TEMPORARY STUB: replaced by the features work.
#include "cli/options.hpp"
namespace segmint::cli {
void add_feature_options(cxxopts::Options&) {}
FeatureCliOptions feature_options_from(const cxxopts::ParseResult&) { return {}; }
}  // namespace segmint::cli
