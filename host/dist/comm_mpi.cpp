// The process group over MPI (MPI_COMM_WORLD): start/stop, abort, and the collectives of
// comm.hpp with their byte and time counts (identities before start(), as for one process).
#include <mpi.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <numeric>

#include "dist/comm.hpp"
#include "segmint/error.hpp"

namespace segmint::dist {
namespace {

bool g_active = false;
int g_rank = 0, g_size = 1;
CommStats g_stats;

// Times one collective into g_stats.comm_ms.
class Timed {
 public:
  Timed() : t0_(std::chrono::steady_clock::now()) {}
  ~Timed() {
    g_stats.comm_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0_).count();
  }

 private:
  std::chrono::steady_clock::time_point t0_;
};

int as_count(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX)) {
    throw RuntimeError("an MPI message of " + std::to_string(n) + " bytes (limit 2 GiB)");
  }
  return static_cast<int>(n);
}

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw RuntimeError(std::string("MPI: ") + what + " failed");
}

std::vector<int> displacements(const std::vector<int>& counts, std::size_t* total) {
  std::vector<int> displ(counts.size(), 0);
  std::size_t t = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    displ[i] = as_count(t);
    t += static_cast<std::size_t>(counts[i]);
  }
  as_count(t);
  *total = t;
  return displ;
}

}  // namespace

bool mpi_compiled() noexcept { return true; }

void start(int* argc, char*** argv) {
  if (g_active) return;
  int provided = 0;
  // Only the main thread calls MPI (OpenMP regions never do).
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  g_active = true;
}

void stop() {
  if (!g_active) return;
  MPI_Finalize();
  g_active = false;
}

void abort_job(int code) {
  if (g_active) MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

bool active() noexcept { return g_active; }
int rank() noexcept { return g_rank; }
int size() noexcept { return g_size; }
const CommStats& stats() noexcept { return g_stats; }

std::vector<std::string> exchange(const std::vector<std::string>& out) {
  if (!g_active) return out;  // one process: what it sends is what it gets
  Timed timed;
  const auto n = static_cast<std::size_t>(g_size);
  if (out.size() != n) throw RuntimeError("exchange: one message per rank expected");
  std::vector<int> send_counts(n), recv_counts(n);
  std::string send;
  for (std::size_t d = 0; d < n; ++d) {
    send_counts[d] = as_count(out[d].size());
    if (static_cast<int>(d) != g_rank) g_stats.bytes_sent += out[d].size();
  }
  for (const auto& m : out) send += m;
  check(
      MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD),
      "MPI_Alltoall");
  std::size_t send_total = 0, recv_total = 0;
  const std::vector<int> sd = displacements(send_counts, &send_total);
  const std::vector<int> rd = displacements(recv_counts, &recv_total);
  std::string recv(recv_total, '\0');
  check(MPI_Alltoallv(send.data(), send_counts.data(), sd.data(), MPI_BYTE, recv.data(),
                      recv_counts.data(), rd.data(), MPI_BYTE, MPI_COMM_WORLD),
        "MPI_Alltoallv");
  std::vector<std::string> in(n);
  for (std::size_t s = 0; s < n; ++s) {
    in[s] = recv.substr(static_cast<std::size_t>(rd[s]), static_cast<std::size_t>(recv_counts[s]));
    if (static_cast<int>(s) != g_rank) g_stats.bytes_received += in[s].size();
  }
  return in;
}

void broadcast(std::string& text, int root) {
  if (!g_active) return;
  Timed timed;
  unsigned long long len = text.size();
  check(MPI_Bcast(&len, 1, MPI_UNSIGNED_LONG_LONG, root, MPI_COMM_WORLD), "MPI_Bcast");
  text.resize(len);
  check(MPI_Bcast(text.data(), as_count(len), MPI_BYTE, root, MPI_COMM_WORLD), "MPI_Bcast");
  if (g_rank == root)
    g_stats.bytes_sent += len * static_cast<unsigned long long>(g_size - 1);
  else
    g_stats.bytes_received += len;
}

namespace {
std::vector<std::string> split(const std::string& all, const std::vector<int>& counts,
                               const std::vector<int>& displ) {
  std::vector<std::string> out(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    out[i] = all.substr(static_cast<std::size_t>(displ[i]), static_cast<std::size_t>(counts[i]));
  }
  return out;
}
}  // namespace

std::vector<std::string> gather(const std::string& text, int root) {
  if (!g_active) return {text};
  Timed timed;
  const int mine = as_count(text.size());
  std::vector<int> counts(static_cast<std::size_t>(g_size), 0);
  check(MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, root, MPI_COMM_WORLD),
        "MPI_Gather");
  std::size_t total = 0;
  std::vector<int> displ = g_rank == root ? displacements(counts, &total) : std::vector<int>{};
  std::string all(total, '\0');
  check(MPI_Gatherv(text.data(), mine, MPI_BYTE, all.data(), counts.data(), displ.data(), MPI_BYTE,
                    root, MPI_COMM_WORLD),
        "MPI_Gatherv");
  if (g_rank != root) {
    g_stats.bytes_sent += text.size();
    return {};
  }
  g_stats.bytes_received += total - text.size();
  return split(all, counts, displ);
}

std::vector<std::string> all_gather(const std::string& text) {
  if (!g_active) return {text};
  Timed timed;
  const int mine = as_count(text.size());
  std::vector<int> counts(static_cast<std::size_t>(g_size), 0);
  check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD),
        "MPI_Allgather");
  std::size_t total = 0;
  std::vector<int> displ = displacements(counts, &total);
  std::string all(total, '\0');
  check(MPI_Allgatherv(text.data(), mine, MPI_BYTE, all.data(), counts.data(), displ.data(),
                       MPI_BYTE, MPI_COMM_WORLD),
        "MPI_Allgatherv");
  g_stats.bytes_sent += text.size() * static_cast<std::size_t>(g_size - 1);
  g_stats.bytes_received += total - text.size();
  return split(all, counts, displ);
}

namespace {
template <typename T>
T reduce(T v, MPI_Datatype type, MPI_Op op) {
  if (!g_active) return v;
  Timed timed;
  T out{};
  check(MPI_Allreduce(&v, &out, 1, type, op, MPI_COMM_WORLD), "MPI_Allreduce");
  return out;
}
}  // namespace

std::uint64_t sum(std::uint64_t v) { return reduce<std::uint64_t>(v, MPI_UINT64_T, MPI_SUM); }
std::int64_t min(std::int64_t v) { return reduce<std::int64_t>(v, MPI_INT64_T, MPI_MIN); }
std::int64_t max(std::int64_t v) { return reduce<std::int64_t>(v, MPI_INT64_T, MPI_MAX); }
double max(double v) { return reduce<double>(v, MPI_DOUBLE, MPI_MAX); }

std::uint64_t sum_before(std::uint64_t v) {
  if (!g_active) return 0;
  Timed timed;
  std::uint64_t out = 0;
  check(MPI_Exscan(&v, &out, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD), "MPI_Exscan");
  return g_rank == 0 ? 0 : out;  // MPI leaves rank 0's result undefined
}

std::string receive_from_previous() {
  if (g_rank == 0) return {};
  Timed timed;
  MPI_Status st;
  check(MPI_Probe(g_rank - 1, 7, MPI_COMM_WORLD, &st), "MPI_Probe");
  int n = 0;
  MPI_Get_count(&st, MPI_BYTE, &n);
  std::string bytes(static_cast<std::size_t>(n), '\0');
  check(MPI_Recv(bytes.data(), n, MPI_BYTE, g_rank - 1, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
        "MPI_Recv");
  g_stats.bytes_received += bytes.size();
  return bytes;
}

void send_to_next(const std::string& bytes) {
  if (g_rank + 1 >= g_size) return;
  Timed timed;
  check(MPI_Send(bytes.data(), as_count(bytes.size()), MPI_BYTE, g_rank + 1, 7, MPI_COMM_WORLD),
        "MPI_Send");
  g_stats.bytes_sent += bytes.size();
}

void barrier() {
  if (!g_active) return;
  Timed timed;
  check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
}

}  // namespace segmint::dist
