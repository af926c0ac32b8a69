// Which part of the input each rank reads: whole files, and byte ranges of large plain CSV files
// cut at record starts, so that rank r's part precedes rank r+1's in input order.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "segmint/ingest.hpp"

namespace segmint::dist {

/// One rank's share of one input file.
struct Piece {
  std::size_t file = 0;  ///< index in the input list
  std::string path;
  bool whole = true;                 ///< the whole file (gzip, event store, small CSV)
  std::uint64_t begin = 0, end = 0;  ///< raw byte range (cut to record starts when read)
};

/// Plain CSV files of at least this many bytes per rank are split into byte ranges.
inline constexpr std::uint64_t kMinSplitBytes = 1u << 16;

/// The pieces rank `rank` of `ranks` reads, in input order. The input is laid end to end and
/// cut into `ranks` equal byte intervals: a plain CSV file is split where the cuts fall (each
/// piece >= min_split bytes, else whole); any other file goes whole to the rank whose interval
/// holds its middle byte. Throws InputError for a file that cannot be opened.
std::vector<Piece> plan_pieces(const std::vector<std::string>& paths, int ranks, int rank,
                               std::uint64_t min_split = kMinSplitBytes);

/// The first record start at or after `offset` in a plain file: 0, the file size, or the byte
/// after the first '\n' at or after offset - 1.
std::uint64_t record_start(const std::string& path, std::uint64_t offset);

/// Opens a piece as an event source interning into `users` (a byte range becomes a CsvSource
/// over [record_start(begin), record_start(end))).
std::unique_ptr<EventSource> open_piece(const Piece& piece, const IngestOptions& options,
                                        UserDictionary& users);

}  // namespace segmint::dist
