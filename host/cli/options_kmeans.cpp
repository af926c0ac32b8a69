// TEMPORARY STUB: replaced by the k-means work.
#include "cli/options.hpp"
namespace segmint::cli {
void add_kmeans_options(cxxopts::Options&) {}
KMeansCliOptions kmeans_options_from(const cxxopts::ParseResult&) { return {}; }
}  // namespace segmint::cli
