// The fixed-order hand-off of double partials between the GPUs of an MPI job, over NCCL
// point-to-point (ncclSend/ncclRecv along the ranks, then ncclBroadcast from the last): the
// device form of host/dist's ordered_total. Never ncclAllReduce, whose order is not fixed.
// CUDA-free interface; built only with CUDA, NCCL and MPI (compile-checked, not yet called).
#pragma once
#include <cstddef>
#include <functional>
#include <memory>

namespace segmint::cuda {

class NcclHandoff {
 public:
  /// One communicator over the job's ranks (one GPU each). share_id(bytes, n) must broadcast
  /// rank 0's n bytes to every rank (host/dist's broadcast over MPI).
  NcclHandoff(int rank, int size, const std::function<void(void* bytes, std::size_t n)>& share_id);
  ~NcclHandoff();
  NcclHandoff(const NcclHandoff&) = delete;
  NcclHandoff& operator=(const NcclHandoff&) = delete;

  /// running: `width` doubles on this rank's device. Receives rank r-1's running total into it
  /// (rank 0 starts from what it holds, zeros), lets add(running) add this rank's chunk partials
  /// in chunk order on `stream` (a cudaStream_t), hands it to rank r+1, and finally broadcasts
  /// the last rank's total into `running` on every rank. Synchronises `stream`.
  void ordered_total(double* running, std::size_t width, const std::function<void(double*)>& add,
                     void* stream);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace segmint::cuda
