// The process group of a build without MPI: one rank, collectives are identities, so host/dist
// compiles and its unit tests run everywhere.
#include <cstdlib>

#include "dist/comm.hpp"
#include "segmint/error.hpp"

namespace segmint::dist {
namespace {
CommStats g_stats;
}  // namespace

bool mpi_compiled() noexcept { return false; }

void start(int*, char***) {
  throw RuntimeError("this build of segmint has no MPI (configure with -DSEGMINT_MPI=ON)");
}
void stop() {}
void abort_job(int code) { std::_Exit(code); }
bool active() noexcept { return false; }
int rank() noexcept { return 0; }
int size() noexcept { return 1; }
const CommStats& stats() noexcept { return g_stats; }

std::vector<std::string> exchange(const std::vector<std::string>& out) { return out; }
void broadcast(std::string&, int) {}
std::vector<std::string> gather(const std::string& text, int) { return {text}; }
std::vector<std::string> all_gather(const std::string& text) { return {text}; }
std::uint64_t sum(std::uint64_t v) { return v; }
std::int64_t min(std::int64_t v) { return v; }
std::int64_t max(std::int64_t v) { return v; }
double max(double v) { return v; }
std::uint64_t sum_before(std::uint64_t) { return 0; }
std::string receive_from_previous() { return {}; }
void send_to_next(const std::string&) {}
void barrier() {}

}  // namespace segmint::dist
