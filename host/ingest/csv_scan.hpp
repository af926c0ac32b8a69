// RFC 4180 CSV scanning: record boundaries of a buffer, and a record-by-record field splitter.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "common/cpu_isa.hpp"

namespace segmint::ingest {

// Quoting rules shared by the boundary finder and the splitter (they must agree, so that any
// way of cutting the input yields the same records):
//  - a '"' opens a quoted field only at the start of a field; elsewhere it is a literal byte;
//  - inside a quoted field "" is one quote, a lone '"' closes it; ',' and newlines are data;
//  - bytes after a closing quote up to the next ',' or newline are kept literally (lenient);
//  - records end at '\n' outside quotes; a '\r' before it is dropped; blank lines are skipped.

/// Record boundaries in buf[0, len), where buf starts at a record start. Returns the offset just
/// past the last '\n' that ends a record (0 when none). For each offset in `targets`
/// (ascending), `splits` receives the first boundary at or after it that is <= the returned cut,
/// or the cut itself.
std::size_t find_boundaries(const char* buf, std::size_t len, const std::vector<std::size_t>& targets,
                            std::vector<std::size_t>& splits);

/// Tests only: scanners made from now on scan with `isa` (common/cpu_isa; capped at what the
/// CPU runs) until reset_scan_isa(). 64 bytes a step in each: four xmm (the baseline, SSE2),
/// two ymm or one zmm compares; every one finds the same bytes.
void force_scan_isa(CpuIsa isa);
void reset_scan_isa();
/// Bit i set where p[i] (i < 64) is ',', '\n' or '"'.
using SpecialMask = std::uint64_t (*)(const char* p);

/// One record's fields. Views point into the scanned range or into the scanner's arena.
struct Record {
  std::vector<std::string_view> fields;
  std::uint64_t line = 0;       ///< newlines in the range before the record's first byte
  const char* error = nullptr;  ///< a malformed record (unterminated quote); fields unusable
};

/// Splits buf[begin, end) (begin is a record start) into records.
class RecordScanner {
 public:
  /// `arena` keeps unescaped field values alive; it must outlive the views.
  RecordScanner(const char* begin, const char* end, std::deque<std::string>* arena)
      : p_(begin), e_(end), arena_(arena), special_(special_mask_fn()) {}
  /// Next record; false at the end of the range.
  bool next(Record& r);
  /// The first byte not yet scanned.
  const char* pos() const noexcept { return p_; }
  /// Newlines consumed so far.
  std::uint64_t lines() const noexcept { return lines_; }

 private:
  bool fast(Record& r);  // a quote-free record of <= kFastFields fields; false: use the others
  void slow(Record& r);
  static SpecialMask special_mask_fn();
  static constexpr std::size_t kFastFields = 32;
  const char* p_;
  const char* e_;
  std::deque<std::string>* arena_;
  SpecialMask special_;
  // The last 64-byte block fast() scanned and its special bytes: a record usually ends inside
  // a block, and the next record goes on from the same mask instead of loading it again.
  const char* block_ = nullptr;
  std::uint64_t block_mask_ = 0;
  std::uint64_t lines_ = 0;
  std::string_view fields_[kFastFields];  // fast()'s fields of the current record
};

}  // namespace segmint::ingest
