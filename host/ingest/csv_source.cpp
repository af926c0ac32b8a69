// CsvSource: header and plan, chunk pipeline, ordered commit of rows into batches and counts.
#include "ingest/csv_source.hpp"

#include <omp.h>

#include <algorithm>

#include "segmint/error.hpp"

namespace segmint::ingest {

// 1 MiB a thread: a chunk's bytes are still in the core's L2 when its thread parses them
// right after the read copied them in, and its rows when they are committed. 4 MiB chunks
// made a 240 MB features run 7% slower and a 2.4 GB one 5% (interleaved runs, 2-core box,
// 2026-12-04; 512 KiB and 2 MiB were in between).
std::size_t CsvSource::chunk_bytes_per_thread = std::size_t(1) << 20;

CsvSource::CsvSource(const std::string& path, const IngestOptions& options, UserDictionary& users,
                     OrderTally* tally, const CsvRange* range)
    : path_(path), options_(options), users_(users), tally_(tally) {
  if (range) range_ = *range;
  threads_ = options.threads > 0 ? options.threads : std::max(1, omp_get_max_threads());
  // Two chunks live at once (one committed, one parsed ahead): cap them on many-core machines.
  const std::size_t chunk = std::max(
      chunk_bytes_per_thread,
      std::min(chunk_bytes_per_thread * static_cast<std::size_t>(threads_), std::size_t(64) << 20));
  loader_ = std::make_unique<ChunkLoader>(path, threads_, chunk);
  std::deque<std::string> arena;
  std::size_t header_bytes = 0;
  std::uint64_t header_lines = 0;
  Record header = loader_->first_record(arena, header_bytes, header_lines);
  if (header.error) throw InputError(path_, 1, std::string("header: ") + header.error);
  std::vector<std::string> names(header.fields.begin(), header.fields.end());
  plan_ = make_plan(names, options_, path_);
  const bool mid_file = range_ && range_->begin > 0;
  if (range_) {
    // The first record gave the plan; the rows are those of the range.
    const std::uint64_t from = mid_file ? range_->begin : loader_->bom_bytes() + header_bytes;
    loader_->continue_with(open_byte_range(path_, from, range_->end), header_bytes);
  }
  if (plan_.has_header || mid_file) {
    if (!mid_file) line_base_ = 1 + header_lines;  // a header may span lines (quoted newlines)
    loader_->drop_front(header_bytes);
  }
}

CsvSource::~CsvSource() {
  if (ahead_.valid()) ahead_.wait();  // the loader must not outlive its task
}

bool CsvSource::advance() {
  if (current_) spare_ = std::move(current_);
  if (threads_ == 1) {
    current_ = loader_->next(plan_, std::move(spare_));
  } else {
    // Parse chunk k+1 while the caller consumes chunk k.
    // One long-lived thread parses ahead: its OpenMP pool is made once, not once per chunk.
    if (!worker_) worker_ = std::make_unique<SerialWorker>();
    auto launch = [this](std::unique_ptr<Chunk> reuse) {
      return worker_->submit(
          [this, r = std::move(reuse)]() mutable { return loader_->next(plan_, std::move(r)); });
    };
    if (!ahead_.valid()) ahead_ = launch(nullptr);
    current_ = ahead_.get();
    if (current_) ahead_ = launch(std::move(spare_));
  }
  if (!current_) {
    done_ = true;
    if (rows_parsed_ == 0 && !range_) throw InputError(path_, 0, "no data rows (header only)");
    return false;
  }
  for (const auto& b : current_->blocks) rows_parsed_ += b.rows.size();
  counts_.bytes += current_->bytes;
  cur_block_ = cur_row_ = cur_err_ = 0;
  return true;
}

bool CsvSource::next(EventBatch& batch) {
  batch.clear();
  const std::size_t limit = std::max<std::size_t>(1, options_.batch_rows);
  // Room for the batch up front (no doubling copies of the columns), bounded: a --batch-rows
  // far above the input's size must not reserve gigabytes.
  batch.reserve(std::min<std::size_t>(limit, std::size_t{1} << 20));
  while (batch.size() < limit && !done_) {
    if (!current_ || cur_block_ >= current_->blocks.size()) {
      if (!advance()) break;
      continue;
    }
    commit(batch, limit);
  }
  return !batch.empty();
}

void CsvSource::commit(EventBatch& batch, std::size_t limit) {
  RowBlock& b = current_->blocks[cur_block_];
  // Rows ahead get their dictionary slot prefetched: the table outgrows the caches.
  constexpr std::size_t kAhead = 16;
  // Consecutive rows often have the same user (Row::same_user): skip the table probe then.
  std::uint32_t last_index = 0;
  bool have_last = false;
  for (; cur_row_ < b.rows.size() && batch.size() < limit; ++cur_row_) {
    if (cur_row_ + kAhead < b.rows.size()) users_.prefetch(b.rows[cur_row_ + kAhead].user_hash);
    const Row& r = b.rows[cur_row_];
    ++counts_.rows;
    if (r.status == RowStatus::bad) {
      const RowError& e = b.errors[cur_err_++];
      if (!options_.skip_bad_rows) {
        const std::uint64_t before = range_ && range_->lines_before ? range_->lines_before() : 0;
        throw InputError(path_, before + line_base_ + e.line, e.what);
      }
      ++counts_.bad_rows;
      continue;
    }
    if (tally_ && r.order != kNoKey) {
      tally_->orders.insert(r.order);
      if (r.type == EventType::cancel) tally_->cancelled.insert(r.order);
    }
    if (r.status == RowStatus::no_user) {
      ++counts_.rows_without_user;
      continue;
    }
    if (!have_last || !r.same_user) {
      last_index = users_.intern(r.user, r.user_hash);
      have_last = true;
    }
    emit_event(r, last_index, batch, counts_);
  }
  if (cur_row_ == b.rows.size()) {
    line_base_ += b.lines;
    ++cur_block_;
    cur_row_ = cur_err_ = 0;
  }
}

}  // namespace segmint::ingest
