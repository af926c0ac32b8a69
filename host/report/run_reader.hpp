// Reads what a report shows from the files a command wrote: a run directory (run, cluster or
// a nightly run with its sibling nights) or the JSON of `sweep --json`.
#pragma once
#include <optional>
#include <string>

#include "report/report_data.hpp"

namespace segmint::report {

/// Everything one report.html shows; any part may be absent.
struct ReportDocument {
  std::string title;
  std::optional<ReportRun> run;
  std::optional<ReportSweep> sweep;
  std::optional<ReportNightly> nightly;
};

/// The run in `dir` (summary.json, centroids.csv, model.json; projection.json when present).
/// A nightly state directory means its latest run; a run inside STATE/runs/ also gets the
/// nightly history (sizes of every kept night, migrations into this one). InputError naming
/// the file when one is missing or unreadable.
ReportDocument read_run_dir(const std::string& dir);

/// The curves of `segmint sweep --json` output; `name` labels errors.
ReportSweep sweep_from_json(const std::string& text, const std::string& name);

/// Splits one CSV record (RFC 4180 quoting, no embedded line breaks).
std::vector<std::string> split_csv_line(const std::string& line);

}  // namespace segmint::report
