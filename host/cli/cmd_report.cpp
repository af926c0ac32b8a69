// segmint report: writes report.html for a run directory, a nightly state or a sweep's JSON.
#include <cxxopts.hpp>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/log.hpp"
#include "report/report.hpp"
#include "report/run_reader.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {

int cmd_report(int argc, char** argv) {
  cxxopts::Options options(
      "segmint report",
      "Writes report.html: one self-contained page (no network, no script) with segment sizes, a "
      "card per segment, a heatmap of centroid z-scores and, when the run was made with --report, "
      "a map of a sample of users. For a nightly state (or one of its runs) it adds sizes over "
      "the kept nights and the migrations into the last night; for `sweep --json` output, the "
      "quality curves over k.");
  add_common_options(options);
  options.add_options("report")("run",
                                "output directory of run, cluster or nightly (or a nightly "
                                "state directory)",
                                cxxopts::value<std::string>())(
      "sweep", "JSON written by `segmint sweep --json`", cxxopts::value<std::string>())(
      "out", "where to write the page (default: DIR/report.html; required with --sweep)",
      cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const bool run = r.count("run") > 0, sweep = r.count("sweep") > 0;
  if (run == sweep) throw UsageError("give either --run DIR or --sweep FILE");
  std::string out = r.count("out") ? r["out"].as<std::string>() : "";
  if (run) {
    out = report::write_run_report(r["run"].as<std::string>(), out);
  } else {
    if (out.empty()) throw UsageError("--sweep needs --out FILE");
    const std::string path = r["sweep"].as<std::string>();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, 0, "cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    report::write_sweep_report(report::sweep_from_json(ss.str(), path), path, out);
  }
  log_info("wrote " + out);
  return 0;
}

}  // namespace segmint::cli
