// CsvSource: header and plan, chunk loading at record boundaries, parallel parse, ordered commit.
#include "ingest/csv_source.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>

#include "ingest/csv_scan.hpp"
#include "segmint/error.hpp"

namespace segmint::ingest {
namespace {
constexpr std::size_t kMaxRecordBytes = std::size_t(64) << 20;
}  // namespace

std::size_t CsvSource::chunk_bytes_per_thread = std::size_t(4) << 20;

CsvSource::CsvSource(const std::string& path, const IngestOptions& options, UserDictionary& users,
                     OrderTally* tally)
    : path_(path), options_(options), users_(users), tally_(tally), src_(open_byte_source(path)) {
  threads_ = options.threads > 0 ? options.threads : std::max(1, omp_get_max_threads());
  chunk_bytes_ = chunk_bytes_per_thread * static_cast<std::size_t>(threads_);
  std::size_t cut = fill_buffer();
  if (len_ == 0) throw InputError(path_, 0, "empty file");
  if (len_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;  // UTF-8 BOM
  std::deque<std::string> arena;
  RecordScanner scanner(buf_.data() + pos_, buf_.data() + cut, &arena);
  Record header;
  if (!scanner.next(header)) throw InputError(path_, 0, "empty file (no header)");
  if (header.error) throw InputError(path_, 1, std::string("header: ") + header.error);
  std::vector<std::string> names(header.fields.begin(), header.fields.end());
  plan_ = make_plan(names, options_, path_);
  if (plan_.has_header) {
    line_base_ = 1 + scanner.lines();
    pos_ = static_cast<std::size_t>(scanner.pos() - buf_.data());
  }
}

std::size_t CsvSource::fill_buffer() {
  if (pos_ > 0) {  // keep the unparsed tail: every row of the previous chunk is committed
    std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
    len_ -= pos_;
    pos_ = 0;
  }
  std::size_t want = chunk_bytes_;
  std::vector<std::size_t> targets, splits;
  for (;;) {
    if (buf_.size() < want) buf_.resize(want);
    while (!eof_ && len_ < want) {
      std::size_t n = src_->read(buf_.data() + len_, want - len_);
      if (n == 0) eof_ = true;
      len_ += n;
    }
    if (eof_) return len_;
    std::size_t cut = find_boundaries(buf_.data(), len_, targets, splits);
    if (cut > 0) return cut;
    if (len_ >= kMaxRecordBytes) {
      throw InputError(path_, line_base_, "record longer than 64 MiB (unterminated quoted field?)");
    }
    want *= 2;
  }
}

bool CsvSource::load_chunk() {
  blocks_.resize(static_cast<std::size_t>(threads_));
  std::size_t cut = fill_buffer();
  // After fill_buffer the unparsed data starts at 0 (unless this is the header's chunk).
  const char* base = buf_.data();
  std::size_t begin = pos_;
  if (cut <= begin) {
    if (rows_parsed_ == 0) throw InputError(path_, 0, "no data rows (header only)");
    return false;
  }
  std::vector<std::size_t> bounds{begin};
  if (threads_ > 1) {
    std::vector<std::size_t> targets, splits;
    for (int i = 1; i < threads_; ++i) {
      targets.push_back(begin + (cut - begin) * static_cast<std::size_t>(i) / threads_);
    }
    // Boundaries in [begin, cut): the scan starts at a record start, so offsets shift by begin.
    std::vector<std::size_t> rel;
    for (auto t : targets) rel.push_back(t - begin);
    find_boundaries(base + begin, cut - begin, rel, splits);
    for (auto s : splits) bounds.push_back(begin + s);
  }
  bounds.push_back(cut);
  const int n = static_cast<int>(bounds.size()) - 1;
#pragma omp parallel for num_threads(threads_) schedule(static, 1) if (n > 1)
  for (int i = 0; i < n; ++i) {
    std::size_t b = std::max(bounds[i], begin), e = std::max(bounds[i + 1], b);
    parse_rows(base + b, base + e, plan_, blocks_[i]);
  }
  for (int i = 0; i < n; ++i) rows_parsed_ += blocks_[i].rows.size();
  blocks_.resize(static_cast<std::size_t>(n));
  counts_.bytes += cut - begin;
  pos_ = cut;
  cur_block_ = cur_row_ = cur_err_ = 0;
  return true;
}

bool CsvSource::next(EventBatch& batch) {
  batch.clear();
  const std::size_t limit = std::max<std::size_t>(1, options_.batch_rows);
  while (batch.size() < limit) {
    if (cur_block_ >= blocks_.size()) {
      if (eof_ && pos_ >= len_) {
        if (rows_parsed_ == 0) throw InputError(path_, 0, "no data rows (header only)");
        break;
      }
      if (!load_chunk()) break;
      continue;
    }
    commit(batch);
  }
  return !batch.empty();
}

void CsvSource::commit(EventBatch& batch) {
  const std::size_t limit = std::max<std::size_t>(1, options_.batch_rows);
  RowBlock& b = blocks_[cur_block_];
  // Rows ahead get their dictionary slot prefetched: the table outgrows the caches.
  constexpr std::size_t kAhead = 16;
  for (; cur_row_ < b.rows.size() && batch.size() < limit; ++cur_row_) {
    if (cur_row_ + kAhead < b.rows.size()) users_.prefetch(b.rows[cur_row_ + kAhead].user_hash);
    const Row& r = b.rows[cur_row_];
    ++counts_.rows;
    if (r.status == RowStatus::bad) {
      const RowError& e = b.errors[cur_err_++];
      if (!options_.skip_bad_rows) throw InputError(path_, line_base_ + e.line, e.what);
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
    std::uint32_t u = users_.intern(r.user, r.user_hash);
    batch.push_back(u, r.time, r.type, r.amount, r.item, r.category, r.session, r.order);
    if (counts_.events == 0) counts_.min_time = counts_.max_time = r.time;
    counts_.min_time = std::min(counts_.min_time, r.time);
    counts_.max_time = std::max(counts_.max_time, r.time);
    ++counts_.events;
    ++counts_.by_type[static_cast<std::size_t>(r.type)];
  }
  if (cur_row_ == b.rows.size()) {
    line_base_ += b.lines;
    ++cur_block_;
    cur_row_ = cur_err_ = 0;
  }
}

}  // namespace segmint::ingest
