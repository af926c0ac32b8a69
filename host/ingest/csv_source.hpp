// The CSV / CSV.gz reader of one file as an EventSource: chunks are parsed in parallel (and, with
// several threads, ahead of time) and committed in file order, so dictionary order and batches
// never depend on the thread count.
#pragma once
#include <cstdint>
#include <functional>
#include <future>
#include <optional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/serial_worker.hpp"
#include "ingest/chunk_loader.hpp"
#include "segmint/ingest.hpp"

namespace segmint::ingest {

/// Distinct order keys over all rows of a run (IngestOptions::count_orders).
struct OrderTally {
  std::unordered_set<std::uint64_t> orders, cancelled;
};

/// Records starting in bytes [begin, end) of a plain CSV file (begin and end at record starts):
/// one MPI rank's share. The header is still read from the file's start; a bad row's line
/// number adds lines_before() (the lines before `begin`, counted only when an error is thrown).
struct CsvRange {
  std::uint64_t begin = 0, end = 0;
  std::function<std::uint64_t()> lines_before;
};

class CsvSource : public EventSource {
 public:
  /// Opens the file and reads its header (throws InputError for an empty, unreadable or
  /// undetectable file). `tally` may be null; it must outlive the source. With `range`, only
  /// the records of that byte range are read (and a range without rows is no error).
  CsvSource(const std::string& path, const IngestOptions& options, UserDictionary& users,
            OrderTally* tally, const CsvRange* range = nullptr);
  ~CsvSource() override;
  bool next(EventBatch& batch) override;
  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {plan_.schema}; }
  const Plan& plan() const noexcept { return plan_; }

  /// Bytes read per chunk and thread (tests shrink it to exercise chunk seams).
  static std::size_t chunk_bytes_per_thread;

 private:
  bool advance();  // makes the next chunk current; false at the end of the file
  void commit(EventBatch& batch, std::size_t limit);

  std::string path_;
  IngestOptions options_;
  UserDictionary& users_;
  OrderTally* tally_;
  int threads_ = 1;
  std::unique_ptr<ChunkLoader> loader_;
  Plan plan_;

  std::unique_ptr<Chunk> current_, spare_;
  std::unique_ptr<SerialWorker> worker_;       // parses ahead (threads > 1)
  std::future<std::unique_ptr<Chunk>> ahead_;  // the next chunk, loading on worker_
  bool done_ = false;
  std::size_t cur_block_ = 0, cur_row_ = 0, cur_err_ = 0;
  std::uint64_t line_base_ = 1;  // physical line number of the current block's first byte
  std::uint64_t rows_parsed_ = 0;
  IngestCounts counts_;
  std::optional<CsvRange> range_;
};

}  // namespace segmint::ingest
