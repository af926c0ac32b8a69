// Options every subcommand has: --help, --log-format and --quiet.
#include "cli/options.hpp"

#include <cstdio>
#include <cstring>

#include "common/log.hpp"
#include "common/progress.hpp"
#include "dist/comm.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {

void add_common_options(cxxopts::Options& options) {
  options.add_options("common")("h,help", "show this help")(
      "log-format", "stderr log format: text or json (json also turns progress lines into "
                    "periodic progress objects)",
      cxxopts::value<std::string>()->default_value("text"))(
      "q,quiet", "only warnings and errors on stderr: no info lines, no progress");
}

bool parse_or_help(cxxopts::Options& options, int argc, char** argv, cxxopts::ParseResult& out) {
  out = options.parse(argc, argv);
  if (out.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    return false;
  }
  if (!out.unmatched().empty()) {
    throw UsageError(std::string(argv[0]) + ": unexpected argument '" + out.unmatched().front() +
                     "'");
  }
  set_log_format(parse_log_format(out["log-format"].as<std::string>()));
  // Under mpirun only rank 0 logs info and progress (every rank logs warnings and errors).
  const bool quiet = out.count("quiet") > 0 || !dist::is_root();
  set_quiet(quiet);
  progress::configure(quiet, log_format() == LogFormat::json);
  return true;
}

std::string required_string(const cxxopts::ParseResult& r, const std::string& name) {
  if (!r.count(name)) throw UsageError("missing required option --" + name);
  return r[name].as<std::string>();
}

void rewrite_long_k(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    char* a = argv[i];
    if (std::strcmp(a, "--") == 0) break;
    if (std::strcmp(a, "--k") == 0) {
      std::memmove(a, a + 1, std::strlen(a));  // "--k" -> "-k"
    } else if (std::strncmp(a, "--k=", 4) == 0) {
      a[1] = 'k';
      std::memmove(a + 2, a + 4, std::strlen(a + 4) + 1);  // "--k=8" -> "-k8"
    }
  }
}

}  // namespace segmint::cli
