// TEMPORARY STUB: replaced by the ingest work.
#include "cli/options.hpp"
namespace segmint::cli {
void add_ingest_options(cxxopts::Options&) {}
IngestOptions ingest_options_from(const cxxopts::ParseResult&) { return {}; }
std::vector<std::string> event_paths_from(const cxxopts::ParseResult&) { return {}; }
}  // namespace segmint::cli
