// open_events(): one EventSource over several files, each CSV/CSV.gz, binary event store or
// Parquet (when a Parquet reader is registered).
#include <algorithm>

#include "ingest/csv_source.hpp"
#include "ingest/parquet_hook.hpp"
#include "store/store_reader.hpp"
#include "segmint/error.hpp"
#include "segmint/event_store.hpp"
#include "segmint/ingest.hpp"

namespace segmint {

void IngestCounts::merge(const IngestCounts& o) {
  if (o.events > 0) {
    min_time = events > 0 ? std::min(min_time, o.min_time) : o.min_time;
    max_time = events > 0 ? std::max(max_time, o.max_time) : o.max_time;
  }
  rows += o.rows;
  events += o.events;
  bad_rows += o.bad_rows;
  rows_without_user += o.rows_without_user;
  bytes += o.bytes;
  orders += o.orders;
  cancelled_orders += o.cancelled_orders;
  for (int i = 0; i < kEventTypeCount; ++i) by_type[i] += o.by_type[i];
}

namespace {

// Files are opened one at a time, in order, when the previous one is exhausted.
class MultiSource : public EventSource {
 public:
  MultiSource(std::vector<std::string> paths, const IngestOptions& options, UserDictionary& users)
      : paths_(std::move(paths)), options_(options), users_(users) {
    if (paths_.empty()) throw UsageError("no event files given (--events FILE...)");
    open_next();  // fail early on an unreadable first file or bad header
  }

  bool next(EventBatch& batch) override {
    for (;;) {
      if (current_ && current_->next(batch)) return true;
      if (!open_next()) {
        batch.clear();
        return false;
      }
    }
  }

  const IngestCounts& counts() const override {
    view_ = done_;
    if (current_) view_.merge(current_->counts());
    if (options_.count_orders) {
      // CSV files feed the shared tally; event stores report the orders of their source.
      view_.orders += tally_.orders.size();
      view_.cancelled_orders += tally_.cancelled.size();
    }
    return view_;
  }

  std::vector<std::string> schemas() const override { return schemas_; }

 private:
  bool open_next() {
    if (current_) {
      done_.merge(current_->counts());
      current_.reset();
    }
    if (next_file_ >= paths_.size()) return false;
    const std::string& path = paths_[next_file_++];
    if (ingest::is_parquet(path)) {
      current_ = ingest::open_parquet_events(path, options_, users_);
      for (auto& s : current_->schemas()) schemas_.push_back(s);
    } else if (is_event_store(path)) {
      current_ = open_event_store(path, options_, users_);
      for (auto& s : current_->schemas()) schemas_.push_back(s);
    } else {
      auto csv = std::make_unique<ingest::CsvSource>(path, options_, users_,
                                                     options_.count_orders ? &tally_ : nullptr);
      schemas_.push_back(csv->plan().schema);
      current_ = std::move(csv);
    }
    return true;
  }

  std::vector<std::string> paths_;
  IngestOptions options_;
  UserDictionary& users_;
  std::size_t next_file_ = 0;
  std::unique_ptr<EventSource> current_;
  IngestCounts done_;
  mutable IngestCounts view_;
  ingest::OrderTally tally_;
  std::vector<std::string> schemas_;
};

}  // namespace

std::unique_ptr<EventSource> open_events(const std::vector<std::string>& paths,
                                         const IngestOptions& options, UserDictionary& users) {
  return std::make_unique<MultiSource>(paths, options, users);
}

EventBatch read_all_events(const std::vector<std::string>& paths, const IngestOptions& options,
                           UserDictionary& users, IngestCounts* counts) {
  auto source = open_events(paths, options, users);
  EventBatch all, batch;
  while (source->next(batch)) all.append(batch);
  if (counts) *counts = source->counts();
  return all;
}

}  // namespace segmint
