// NcclHandoff: the communicator from a shared unique id, and the ordered running sum over
// ncclRecv / add / ncclSend along the ranks, then ncclBroadcast from the last rank.
#include "dist/nccl_handoff.hpp"

#include <cuda_runtime.h>
#include <nccl.h>

#include <string>

#include "core/cuda_check.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda {
namespace {

void check_nccl(ncclResult_t r, const char* what) {
  if (r != ncclSuccess) {
    throw DeviceError(std::string("NCCL: ") + what + ": " + ncclGetErrorString(r));
  }
}

}  // namespace

struct NcclHandoff::Impl {
  ncclComm_t comm = nullptr;
  int rank = 0, size = 1;
};

NcclHandoff::NcclHandoff(int rank, int size,
                         const std::function<void(void*, std::size_t)>& share_id)
    : impl_(std::make_unique<Impl>()) {
  impl_->rank = rank;
  impl_->size = size;
  ncclUniqueId id;
  if (rank == 0) check_nccl(ncclGetUniqueId(&id), "ncclGetUniqueId");
  share_id(&id, sizeof id);
  check_nccl(ncclCommInitRank(&impl_->comm, size, id, rank), "ncclCommInitRank");
}

NcclHandoff::~NcclHandoff() {
  if (impl_ && impl_->comm) ncclCommDestroy(impl_->comm);
}

void NcclHandoff::ordered_total(double* running, std::size_t width,
                                const std::function<void(double*)>& add, void* stream_ptr) {
  auto stream = static_cast<cudaStream_t>(stream_ptr);
  const int r = impl_->rank, n = impl_->size;
  if (r > 0)
    check_nccl(ncclRecv(running, width, ncclDouble, r - 1, impl_->comm, stream), "ncclRecv");
  add(running);  // this rank's chunks, in order, after the running total arrived
  if (r + 1 < n)
    check_nccl(ncclSend(running, width, ncclDouble, r + 1, impl_->comm, stream), "ncclSend");
  check_nccl(ncclBroadcast(running, running, width, ncclDouble, n - 1, impl_->comm, stream),
             "ncclBroadcast");
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(stream));
}

}  // namespace segmint::cuda
