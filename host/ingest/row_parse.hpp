// Turns a range of CSV records into parsed rows (no shared state: safe to run in parallel).
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/schema.hpp"
#include "segmint/ingest.hpp"

namespace segmint::ingest {

enum class RowStatus : std::uint8_t { ok, no_user, bad };

/// One data row after parsing; `user` points into the chunk buffer or the block's arena.
struct Row {
  std::string_view user;
  std::uint64_t user_hash = 0;  ///< UserDictionary::hash(user), computed in parallel
  std::int64_t time = 0;
  double amount = 0;
  std::uint64_t item = 0, category = 0, session = 0, order = 0;
  EventType type = EventType::other;
  RowStatus status = RowStatus::ok;
  /// The user id equals that of the block's previous good row with a user (whose dictionary
  /// index the commit can reuse without reading the id again).
  bool same_user = false;
};

/// A bad row's place (newlines before it within the range) and what is wrong with it.
struct RowError {
  std::uint64_t line = 0;
  std::string what;
};

/// The parsed rows of one range; errors are in row order, one per bad row.
struct RowBlock {
  std::vector<Row> rows;
  std::vector<RowError> errors;
  std::deque<std::string> arena;  ///< unescaped quoted values that rows point into
  std::uint64_t lines = 0;        ///< newlines in the range
  void clear() {
    rows.clear();
    errors.clear();
    arena.clear();
    lines = 0;
  }
};

/// Parses the records of buf[begin, end) (begin at a record start) following `plan`.
void parse_rows(const char* begin, const char* end, const Plan& plan, RowBlock& out);

/// A number cell: surrounding spaces and a leading '+' are allowed, empty means 0 (a missing
/// value); false when it is not a number.
bool parse_number(std::string_view s, double& out);

/// Appends a parsed row (status ok) as user `user`'s event and counts it (events, by type, time
/// range): the commit of every row-based source.
void emit_event(const Row& row, std::uint32_t user, EventBatch& batch, IngestCounts& counts);

/// True when `s` is well-formed UTF-8.
bool valid_utf8(std::string_view s) noexcept;

}  // namespace segmint::ingest
