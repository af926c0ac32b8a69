// The CSV / CSV.gz reader of one file as an EventSource: chunked reads, parallel row parsing,
// in-order commit (dictionary order and batches never depend on the thread count).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "ingest/byte_source.hpp"
#include "ingest/row_parse.hpp"
#include "ingest/schema.hpp"
#include "segmint/ingest.hpp"

namespace segmint::ingest {

/// Distinct order keys over all rows of a run (IngestOptions::count_orders).
struct OrderTally {
  std::unordered_set<std::uint64_t> orders, cancelled;
};

class CsvSource : public EventSource {
 public:
  /// Opens the file and reads its header (throws InputError for an empty, unreadable or
  /// undetectable file). `tally` may be null; it must outlive the source.
  CsvSource(const std::string& path, const IngestOptions& options, UserDictionary& users,
            OrderTally* tally);
  bool next(EventBatch& batch) override;
  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {plan_.schema}; }
  const Plan& plan() const noexcept { return plan_; }

  /// Bytes read per chunk and thread (tests shrink it to exercise chunk seams).
  static std::size_t chunk_bytes_per_thread;

 private:
  std::size_t fill_buffer();  // returns the cut (end of the last complete record)
  bool load_chunk();
  void commit(EventBatch& batch);

  std::string path_;
  IngestOptions options_;
  UserDictionary& users_;
  OrderTally* tally_;
  std::unique_ptr<ByteSource> src_;
  Plan plan_;
  int threads_ = 1;
  std::size_t chunk_bytes_ = 0;

  std::vector<char> buf_;
  std::size_t len_ = 0;  // valid bytes in buf_
  std::size_t pos_ = 0;  // first byte not yet handed to the parser
  bool eof_ = false;

  std::vector<RowBlock> blocks_;
  std::size_t cur_block_ = 0, cur_row_ = 0, cur_err_ = 0;
  std::uint64_t line_base_ = 1;  // physical line number of the current block's first byte
  std::uint64_t rows_parsed_ = 0;
  IngestCounts counts_;
};

}  // namespace segmint::ingest
