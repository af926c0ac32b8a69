// report.html: one self-contained page (inline SVG and CSS, no script, no network) showing a
// segmentation, a sweep or a nightly history; the entry points `segmint report` and
// `run|nightly|sweep --report` call.
#pragma once
#include <string>

#include "report/run_reader.hpp"

namespace segmint::report {

/// The Content-Security-Policy the page carries: nothing may be fetched, no script runs.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'";

/// The page for `doc`.
std::string render_report(const ReportDocument& doc);

/// Reads the run in `dir` (see read_run_dir) and writes the page atomically to `out`
/// (default: DIR/report.html, for a nightly state DIR/latest/report.html). Returns the path.
std::string write_run_report(const std::string& dir, const std::string& out = "");

/// Writes the page of a sweep atomically to `out`.
void write_sweep_report(const ReportSweep& sweep, const std::string& title, const std::string& out);

}  // namespace segmint::report
