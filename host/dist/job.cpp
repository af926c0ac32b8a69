// begin_job / end_job: MPI start and stop around a command, and failure as one exit code.
#include "dist/job.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>

#include "common/log.hpp"
#include "dist/comm.hpp"
#include "dist/follow.hpp"
#include "segmint/error.hpp"

namespace segmint::dist {
namespace {

int launcher_size() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"}) {
    if (const char* s = std::getenv(v)) return std::atoi(s);
  }
  return 1;
}

}  // namespace

void begin_job(int* argc, char*** argv) {
  if (!launched_by_mpi()) return;
  if (!mpi_compiled()) {
    if (launcher_size() > 1) {
      throw UsageError("launched by mpirun with several ranks, but this build of segmint has no "
                       "MPI (configure with -DSEGMINT_MPI=ON, or run it without mpirun)");
    }
    return;
  }
  start(argc, argv);
}

void kill_point(const char* name) {
  const char* want = std::getenv("SEGMINT_TEST_KILL_POINT");
  const char* who = std::getenv("SEGMINT_TEST_KILL_RANK");
  if (!want || std::strcmp(want, name) != 0) return;
  if (!who || std::atoi(who) == rank()) std::raise(SIGKILL);
}

int end_job(int code, const std::string& message) {
  if (code != 0 && !message.empty()) {
    log_error(active() && size() > 1 ? "rank " + std::to_string(rank()) + " of " +
                                           std::to_string(size()) + ": " + message
                                     : message);
  }
  if (code != 0 && active() && size() > 1) abort_job(code);
  if (active() && is_root() && followers_listening()) {
    std::string end = "end";  // the followers (dist::follow) stop and finalize too
    broadcast(end);
  }
  stop();
  return code;
}

}  // namespace segmint::dist
