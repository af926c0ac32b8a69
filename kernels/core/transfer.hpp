// Host <-> device copies ordered on a stream: the only way kernels/ moves data across the bus.
// Every copy names the stream that produced (or will consume) the data. A plain cudaMemcpy runs
// on the legacy default stream, which does not wait for work on our non-blocking streams: it can
// read a buffer before the kernel that writes it has run (issue 12: stale k-means++ distances).
// The synchronous forms wait for the stream, so the host may read (download) or reuse (upload)
// its memory on return; the _async forms leave that to the caller (stream last, as everywhere).
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <vector>

#include "core/cuda_check.hpp"

namespace segmint::cuda {

/// Queues host[0, count) -> dev on `stream`. `host` must stay valid and unchanged until the
/// stream reaches the copy (pinned memory for a truly asynchronous copy).
template <typename T>
void upload_async(T* dev, const T* host, std::size_t count, cudaStream_t stream) {
  if (count == 0) return;
  SEGMINT_CUDA_CHECK(cudaMemcpyAsync(dev, host, count * sizeof(T), cudaMemcpyHostToDevice, stream));
}

/// Queues dev[0, count) -> host on `stream`, after everything queued on it before.
template <typename T>
void download_async(T* host, const T* dev, std::size_t count, cudaStream_t stream) {
  if (count == 0) return;
  SEGMINT_CUDA_CHECK(cudaMemcpyAsync(host, dev, count * sizeof(T), cudaMemcpyDeviceToHost, stream));
}

/// Queues a device -> device copy on `stream`.
template <typename T>
void copy_device_async(T* dst, const T* src, std::size_t count, cudaStream_t stream) {
  if (count == 0) return;
  SEGMINT_CUDA_CHECK(
      cudaMemcpyAsync(dst, src, count * sizeof(T), cudaMemcpyDeviceToDevice, stream));
}

/// Copies host -> dev on `stream` and waits: on return `host` may change or go away.
template <typename T>
void upload(T* dev, const T* host, std::size_t count, cudaStream_t stream) {
  upload_async(dev, host, count, stream);
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(stream));
}

/// Copies dev -> host on `stream` once the work queued before it is done, and waits.
template <typename T>
void download(T* host, const T* dev, std::size_t count, cudaStream_t stream) {
  download_async(host, dev, count, stream);
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(stream));
}

/// Same, into a new vector.
template <typename T>
std::vector<T> download(const T* dev, std::size_t count, cudaStream_t stream) {
  std::vector<T> out(count);
  download(out.data(), dev, count, stream);
  return out;
}

}  // namespace segmint::cuda
