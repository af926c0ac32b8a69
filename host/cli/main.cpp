// segmint command line: dispatches to a subcommand and maps exceptions to exit codes.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <system_error>

#include <cxxopts.hpp>

#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "common/log.hpp"
#include "dist/comm.hpp"
#include "dist/job.hpp"
#include "segmint/error.hpp"
#ifdef SEGMINT_WITH_PARQUET
#include "cli/parquet_loader.hpp"
#endif

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
  bool spreads = false;  ///< runs across the ranks under mpirun (docs/SCALING.md)
};

const Command kCommands[] = {
    {"run", segmint::cli::cmd_run,
     "events -> features -> k-means -> named segments (all outputs)", true},
    {"cluster", segmint::cli::cmd_cluster, "cluster a user-supplied feature table", true},
    {"assign", segmint::cli::cmd_assign, "assign users to an existing model's segments", true},
    {"features", segmint::cli::cmd_features, "write the per-user behavioral feature table", true},
    {"sweep", segmint::cli::cmd_sweep, "try a range of k and report quality metrics", true},
    {"nightly", segmint::cli::cmd_nightly,
     "merge new events into saved state, recluster, keep ids", true},
    {"generate", segmint::cli::cmd_generate, "write a synthetic event log with planted segments"},
    {"convert", segmint::cli::cmd_convert, "convert event files to the binary event store"},
    {"info", segmint::cli::cmd_info, "count rows, users, events by type, time range"},
    {"report", segmint::cli::cmd_report, "write report.html for a run, a nightly state or a sweep"},
};

void print_usage(std::FILE* to) {
  std::fprintf(to, "usage: segmint <command> [options]   (segmint help <command>, segmint "
                   "--version)\n\n");
  for (const auto& c : kCommands) std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
  std::fprintf(to, "\nexit codes: 0 ok, 2 bad input or usage, 3 runtime/device failure, 4 locked\n");
}

const Command* find_command(const std::string& name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

/// `segmint help COMMAND`: the command's --help, then worked examples.
int help(const std::string& name) {
  const Command* c = find_command(name);
  if (!c) {
    std::fprintf(stderr, "segmint: unknown command '%s'\n\n", name.c_str());
    print_usage(stderr);
    return 2;
  }
  std::string arg0 = name, arg1 = "--help";
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  int rc = c->run(2, argv);
  std::printf("\nExamples:\n%s", segmint::cli::command_examples(name).c_str());
  std::fflush(stdout);
  return rc;
}

// The OpenMP runtime ends the process with exit(1) when it cannot start its threads (e.g. under
// an address-space limit); nothing can catch that. Any exit that does not come from main's
// return is reported as the runtime failure it is (exit 3), never as an undocumented code.
bool g_main_returned = false;
void exit_not_from_main() {
  if (g_main_returned) return;
  segmint::log_error("the process was stopped by a library it uses (see the message above; "
                     "usually the OpenMP runtime failing to start threads for lack of memory)");
  std::fflush(stderr);
  std::_Exit(3);
}

/// The message of an exception no layer turned into a segmint::Error. A thread the process may
/// not start (EAGAIN: a memory or process limit) is a resource failure like bad_alloc, not a
/// defect.
std::string unexpected_failure(const std::string& command, const std::exception& e) {
  const auto* sys = dynamic_cast<const std::system_error*>(&e);
  if (sys && sys->code() == std::errc::resource_unavailable_try_again) {
    return command + ": out of memory or threads (" + e.what() +
           "); raise the process's limits or lower --threads";
  }
  return std::string("internal error: ") + e.what();
}

int run_command(int argc, char** argv);

}  // namespace

int main(int argc, char** argv) {
  std::atexit(exit_not_from_main);
  const int code = run_command(argc, argv);
  g_main_returned = true;
  return code;
}

namespace {

int run_command(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
#ifdef SEGMINT_WITH_PARQUET
  segmint::cli::register_parquet_reader();
#endif
  std::string name = argv[1];
  if (name == "--version" || name == "version") {
    segmint::cli::print_version(stdout);
    return 0;
  }
  if (name == "help" && argc > 2) return help(argv[2]);
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(stdout);
    return 0;
  }
  for (const auto& c : kCommands) {
    if (name != c.name) continue;
    // Under mpirun/srun every rank runs the commands that spread over ranks (the others run on
    // rank 0 alone); a failure on one rank ends them all.
    using segmint::dist::end_job;
    try {
      segmint::dist::begin_job(&argc, &argv);
      if (!c.spreads && !segmint::dist::is_root()) return end_job(0);
      return end_job(c.run(argc - 1, argv + 1));
    } catch (const segmint::Error& e) {
      return end_job(segmint::exit_code(e.kind()), e.what());
    } catch (const cxxopts::exceptions::exception& e) {
      return end_job(2, std::string(name) + ": " + e.what());
    } catch (const std::bad_alloc&) {
      return end_job(3, std::string(name) +
                            ": out of memory (set --memory-budget below the memory this job may "
                            "use to stop cleanly with the size it needs, or split the input)");
    } catch (const std::exception& e) {
      return end_job(3, unexpected_failure(name, e));
    }
  }
  std::fprintf(stderr, "segmint: unknown command '%s'\n\n", name.c_str());
  print_usage(stderr);
  return 2;
}

}  // namespace
