// The process group of a multi-rank run: MPI when segmint was launched by mpirun/srun, one
// process otherwise; the few collectives host/dist uses, each counted in CommStats.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace segmint::dist {

/// Bytes this rank sent and received, and the wall time it spent inside collectives.
struct CommStats {
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  double comm_ms = 0;
};

/// True when this build has MPI (SEGMINT_MPI found it).
bool mpi_compiled() noexcept;

/// Starts MPI (once; launched_by_mpi() must be true and mpi_compiled()). Throws RuntimeError
/// when MPI cannot start.
void start(int* argc, char*** argv);
/// Ends MPI when it was started (every rank must call it on success).
void stop();
/// Ends the whole job with `code` (every rank), after this rank printed its message.
[[noreturn]] void abort_job(int code);

/// True between start() and stop(): the command runs across the ranks.
bool active() noexcept;
int rank() noexcept;  ///< 0 when not active
int size() noexcept;  ///< 1 when not active
inline bool is_root() noexcept { return rank() == 0; }

/// What this rank's collectives moved so far.
const CommStats& stats() noexcept;

/// Every rank sends out[d] to rank d and receives, from each rank s, in[s]. out has size()
/// entries. Each message must stay below 2 GiB (callers send bounded batches).
std::vector<std::string> exchange(const std::vector<std::string>& out);
/// Root's `text` on every rank.
void broadcast(std::string& text, int root = 0);
/// Every rank's `text`, in rank order, on root (empty elsewhere).
std::vector<std::string> gather(const std::string& text, int root = 0);
/// Every rank's `text`, in rank order, on every rank.
std::vector<std::string> all_gather(const std::string& text);
std::uint64_t sum(std::uint64_t v);
std::int64_t min(std::int64_t v);
std::int64_t max(std::int64_t v);
double max(double v);
/// Sum of v over the ranks before this one (0 on rank 0).
std::uint64_t sum_before(std::uint64_t v);
/// Ordered hand-off: rank r receives what rank r-1 sent (bytes, empty on rank 0) and sends
/// on what it returns via send_next to rank r+1. Used for fixed-order running sums.
std::string receive_from_previous();
void send_to_next(const std::string& bytes);
void barrier();

}  // namespace segmint::dist
