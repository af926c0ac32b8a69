// The host half of the streamed device feature stage: an EventSource read on a thread of its own
// a few batches ahead, so that parsing batch i+1 overlaps what the consumer does with batch i
// (packing into pinned memory, uploads, device work). CUDA-free; unit-tested on the CPU.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "segmint/ingest.hpp"

namespace segmint::cuda_plan {

class ReadAhead {
 public:
  /// Starts reading `source` (which must outlive this) with `depth` (>= 1) batches in flight.
  explicit ReadAhead(EventSource& source, std::size_t depth = 2);
  /// Stops the reader (it finishes the batch it is reading) and joins it.
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  /// The next batch, valid until the following call; nullptr at the end of the input. An
  /// exception the source threw is rethrown here, after the batches read before it.
  const EventBatch* next();
  /// Milliseconds the reader spent inside source.next() so far.
  double read_ms() const;

 private:
  void run();

  EventSource& source_;
  std::vector<EventBatch> buffers_;
  std::deque<std::size_t> free_, filled_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::size_t held_ = static_cast<std::size_t>(-1);  ///< the buffer the consumer holds
  double read_ms_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
};

}  // namespace segmint::cuda_plan
