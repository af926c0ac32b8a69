// Reading event logs: CSV / CSV.gz with schema presets or an explicit mapping, and the binary
// event store, all behind one streaming EventSource.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "segmint/dictionary.hpp"
#include "segmint/events.hpp"

namespace segmint {

/// How to read event files.
struct IngestOptions {
  /// "auto" (detect from the header), "rees46", "online-retail", "taobao", "retailrocket",
  /// or "custom" (requires column_map).
  std::string schema = "auto";
  /// Explicit mapping field -> column name, e.g. {"user","visitorid"}. Fields: user, time, type,
  /// amount, quantity, price, item, category, session, order. Overrides the preset's mapping.
  std::vector<std::pair<std::string, std::string>> column_map;
  /// Raw event type value -> canonical name, e.g. {"pv","view"}. Added to the preset's map.
  std::vector<std::pair<std::string, std::string>> type_map;
  /// Rows per batch handed to the consumer (bounds memory: ~150 bytes a row with the folding
  /// scratch, EventBatch::kBytesPerEvent of it the batch). Folding rewrites the sets of each user
  /// a batch touches, so time-ordered input (few events per user per batch) folds faster in
  /// larger batches: on a 2.4 GB time-ordered file 2^18 rows cut CPU ~12% against 2^17 for
  /// +19 MB, 2^20 ~20% for +134 MB; user-grouped input gains nothing (bench/RESULTS.md).
  std::size_t batch_rows = 1u << 18;
  /// Skip and count bad rows instead of failing on the first one.
  bool skip_bad_rows = false;
  /// Parser threads (0 = all cores). Output (batches, dictionary order) never depends on it.
  int threads = 0;
  /// Also count distinct order keys (and those of cancel events) over all rows, including rows
  /// without a user: IngestCounts::orders / cancelled_orders. Costs a hash set; `info` uses it.
  bool count_orders = false;
  /// Host memory budget in bytes for what grows with the data (0 = none): the pipeline hands it
  /// to AggregateOptions::memory_budget (see there for what it bounds and how).
  std::size_t memory_budget = 0;
};

/// Counters an EventSource accumulates while reading.
struct IngestCounts {
  std::uint64_t rows = 0;               ///< data rows read (header excluded)
  std::uint64_t events = 0;             ///< events emitted
  std::uint64_t bad_rows = 0;           ///< rows skipped as bad (only with skip_bad_rows)
  std::uint64_t rows_without_user = 0;  ///< rows skipped for an empty user id
  std::uint64_t bytes = 0;              ///< input bytes consumed (uncompressed)
  std::array<std::uint64_t, kEventTypeCount> by_type{};  ///< events per EventType
  std::int64_t min_time = 0, max_time = 0;               ///< over emitted events (0,0 if none)
  /// Distinct order keys and distinct order keys of cancel events (only with count_orders;
  /// exact within one EventSource, summed by merge()).
  std::uint64_t orders = 0, cancelled_orders = 0;
  void merge(const IngestCounts& other);
};

/// A stream of event batches from one or more files (CSV, CSV.gz, or binary store, detected by
/// content). Users are interned into the dictionary given at open time, shared by all files.
class EventSource {
 public:
  virtual ~EventSource() = default;
  /// Fills `batch` (cleared first) with up to batch_rows events; false at end of input.
  /// Throws InputError("FILE:LINE: what") on bad input unless skip_bad_rows.
  virtual bool next(EventBatch& batch) = 0;
  virtual const IngestCounts& counts() const = 0;
  /// Name of the schema each file was read with, one per file, after the file is opened.
  virtual std::vector<std::string> schemas() const = 0;
};

/// Opens `paths` in order. The dictionary must outlive the source.
std::unique_ptr<EventSource> open_events(const std::vector<std::string>& paths,
                                         const IngestOptions& options, UserDictionary& users);

/// Reads everything from `paths` into one batch (tests, small inputs).
EventBatch read_all_events(const std::vector<std::string>& paths, const IngestOptions& options,
                           UserDictionary& users, IngestCounts* counts = nullptr);

}  // namespace segmint
