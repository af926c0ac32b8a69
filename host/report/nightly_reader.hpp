// Reads a nightly state's history for the report: segment sizes of every kept night and the
// migrations into the night being reported.
#pragma once
#include <optional>
#include <string>

#include "report/report_data.hpp"

namespace segmint::report {

/// When `run_dir` (absolute, canonical) is STATE/runs/<name> of a nightly state: the sizes of
/// every complete run up to and including this one (oldest first) and the migrations of this
/// run's summary.json. nullopt for a run directory outside a nightly state.
std::optional<ReportNightly> read_nightly(const std::string& run_dir);

}  // namespace segmint::report
