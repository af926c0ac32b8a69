// Reads one CSV file in chunks cut at record boundaries and parses each chunk's rows in parallel.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "ingest/byte_source.hpp"
#include "ingest/csv_scan.hpp"
#include "ingest/row_parse.hpp"
#include "ingest/schema.hpp"

namespace segmint::ingest {

/// Whole records and their parsed rows; rows point into `data`.
struct Chunk {
  std::vector<char> data;
  std::size_t bytes = 0;  ///< bytes of data holding the records
  std::vector<RowBlock> blocks;
};

class ChunkLoader {
 public:
  /// Opens `path` and reads up to the end of its first record. `chunk_bytes` bounds each chunk
  /// (a single longer record grows it up to 64 MiB). Throws InputError for an empty file.
  ChunkLoader(const std::string& path, int threads, std::size_t chunk_bytes);

  /// The first record (header or first data row), BOM removed; `bytes` is its length with its
  /// line end, `lines` the newlines in it.
  Record first_record(std::deque<std::string>& arena, std::size_t& bytes, std::uint64_t& lines);
  /// Drops the first `bytes` bytes of pending input (the header).
  void drop_front(std::size_t bytes);
  /// Keeps the first `keep` pending bytes (the first record) and continues with `src` (a byte
  /// range of the file further on: one MPI rank's share).
  void continue_with(std::unique_ptr<ByteSource> src, std::size_t keep);
  /// 3 when the file began with a UTF-8 byte order mark (dropped), else 0.
  std::size_t bom_bytes() const noexcept { return bom_bytes_; }

  /// The next chunk parsed with `plan` (`reuse` recycles an old chunk's memory), or nullptr at
  /// the end. Calls must not overlap; any thread may make them.
  std::unique_ptr<Chunk> next(const Plan& plan, std::unique_ptr<Chunk> reuse);

 private:
  std::size_t read_into(std::vector<char>& buf, std::size_t len, std::size_t want);
  std::string path_;
  int threads_;
  std::size_t chunk_bytes_;
  std::unique_ptr<ByteSource> src_;
  std::vector<char> pending_;  // input read but not yet handed out (always starts a record)
  bool eof_ = false;
  std::uint64_t newlines_before_ = 0;  // newlines before pending_ (its first line is this + 1)
  std::size_t bom_bytes_ = 0;
};

}  // namespace segmint::ingest
