// begin_job / end_job: MPI start and stop around a command, and failure as one exit code.
#include "dist/job.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

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

// One GPU per rank: rank i of a node sees GPU i only, or entry i mod n of the
// CUDA_VISIBLE_DEVICES list it was given (before anything initialises CUDA).
void pin_gpu() {
  const char* local = nullptr;
  for (const char* v : {"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID", "MPI_LOCALRANKID"}) {
    if (!local) local = std::getenv(v);
  }
  if (!local) return;
  const int i = std::atoi(local);
  std::string pick = std::to_string(i);
  if (const char* given = std::getenv("CUDA_VISIBLE_DEVICES")) {
    std::vector<std::string> list;
    std::stringstream ss(given);
    for (std::string item; std::getline(ss, item, ',');) list.push_back(item);
    if (list.empty()) return;
    pick = list[static_cast<std::size_t>(i) % list.size()];
  }
  ::setenv("CUDA_VISIBLE_DEVICES", pick.c_str(), 1);
}

}  // namespace

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(v)) return true;
  }
  return false;
}

void begin_job(int* argc, char*** argv) {
  if (!launched_by_mpi()) return;
  if (!mpi_compiled()) {
    if (launcher_size() > 1) {
      throw UsageError(
          "launched by mpirun with several ranks, but this build of segmint has no "
          "MPI (configure with -DSEGMINT_MPI=ON, or run it without mpirun)");
    }
    return;
  }
  pin_gpu();
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
