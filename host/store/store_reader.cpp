// open_event_store: validates header and trailer up front, then streams chunks with pread into
// one reused buffer (memory bounded by the largest chunk), verifying every column's checksum
// before any of its events is handed out; a chunk's columns are read, verified and copied out
// on all threads, one column per task.
#include "store/store_reader.hpp"

#include <fcntl.h>
#include <omp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>

#include "common/omp_guard.hpp"
#include "segmint/detail/feature_math.hpp"
#include "segmint/error.hpp"
#include "segmint/event_store.hpp"
#include "store/checksum.hpp"
#include "store/store_file.hpp"
#include "store/store_format.hpp"

namespace segmint {
namespace {

using store::kColumns;

class StoreSource final : public EventSource {
 public:
  StoreSource(const std::string& path, const IngestOptions& options, UserDictionary& users)
      : file_(path), users_(users),
        batch_rows_(options.batch_rows ? options.batch_rows : std::size_t{1} << 20),
        count_orders_(options.count_orders),
        threads_(options.threads > 0 ? options.threads : omp_get_max_threads()) {
    trailer_ = file_.read_layout();
    offset_ = store::kHeaderBytes;
  }

  bool next(EventBatch& batch) override {
    batch.clear();
    if (!dictionary_loaded_) load_dictionary();
    while (batch.size() < batch_rows_) {
      if (served_ == rows_ && !load_chunk()) break;
      std::size_t take = std::min(rows_ - served_, batch_rows_ - batch.size());
      serve(batch, take);
    }
    return !batch.empty();
  }

  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {"store"}; }

 private:
  [[noreturn]] void corrupt(const std::string& what) const { file_.corrupt(what); }

  void load_dictionary() {
    dictionary_loaded_ = true;
    std::vector<std::string> ids = file_.read_dictionary(trailer_);
    to_caller_.resize(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) to_caller_[i] = users_.intern(ids[i]);
  }

  /// Reads and verifies the next chunk; false (after final cross-checks) at the dictionary.
  bool load_chunk() {
    if (offset_ == trailer_.dict_offset) {
      finish();
      return false;
    }
    if (offset_ + store::kChunkHeaderBytes > trailer_.dict_offset) {
      corrupt("chunk " + std::to_string(chunk_) + " overruns the dictionary");
    }
    unsigned char head[store::kChunkHeaderBytes];
    file_.read_at(offset_, head, sizeof head);
    if (store::get32(head) != store::kChunkTag ||
        store::get64(head + 72) != store::checksum64(head, 72)) {
      corrupt("checksum mismatch in the header of chunk " + std::to_string(chunk_) +
              " at byte " + std::to_string(offset_));
    }
    std::size_t rows = store::get32(head + 4);
    std::size_t body = store::chunk_body_bytes(rows);
    if (rows == 0 || rows > file_.max_chunk_rows() ||
        offset_ + sizeof head + body > trailer_.dict_offset) {
      corrupt("chunk " + std::to_string(chunk_) + " has an impossible size");
    }
    if (body > capacity_) {
      buffer_.reset(new unsigned char[body]);
      capacity_ = body;
    }
    read_columns(head, rows, offset_ + sizeof head);
    counts_.bytes += sizeof head + body;
    offset_ += sizeof head + body;
    rows_ = rows;
    served_ = 0;
    ++chunk_;
    return true;
  }

  /// Reads the columns of a chunk of `rows` events at byte `at` (its header: `head`) into the
  /// buffer, one pread and one check per column on all threads (serially, reading was ~30% of
  /// `features` on the store while the other threads waited); the first damaged column, in
  /// column order, is reported.
  void read_columns(const unsigned char* head, std::size_t rows, std::uint64_t at) {
    bool bad_padding[kColumns] = {};
    std::uint64_t sums[kColumns] = {};
    OmpGuard guard;  // read_at throws on I/O errors
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
    for (int c = 0; c < kColumns; ++c) {
      guard.run([&] {
        unsigned char* col = buffer_.get() + store::column_offset(rows, c);
        const std::size_t n = rows * store::kColumnWidth[c];
        file_.read_at(at + store::column_offset(rows, c), col, store::pad8(n));
        // Padding is outside the checksum; the writer zeroes it, so anything else is damage.
        for (std::size_t i = n; i < store::pad8(n); ++i)
          if (col[i]) bad_padding[c] = true;
        sums[c] = store::checksum64(col, n);
      });
    }
    guard.rethrow();
    for (int c = 0; c < kColumns; ++c) {
      const std::string name(store::kColumnName[c]);
      if (bad_padding[c])
        corrupt("nonzero padding after column '" + name + "' of chunk " + std::to_string(chunk_));
      if (sums[c] != store::get64(head + 8 + 8 * c)) {
        corrupt("checksum mismatch in column '" + name + "' of chunk " + std::to_string(chunk_) +
                " (chunk at byte " + std::to_string(offset_) + ")");
      }
    }
  }

  template <typename T>
  const T* column(int c) const {
    return reinterpret_cast<const T*>(buffer_.get() + store::column_offset(rows_, c)) + served_;
  }

  /// Appends `take` events of the current chunk to `batch`, mapping users to caller indices.
  /// One task per column on all threads (each grows its own vector), so copying a chunk out is
  /// not serial; the checks are reported after, in the order a serial walk met them.
  void serve(EventBatch& batch, std::size_t take) {
    ColumnChecks k;
    OmpGuard guard;  // growing a column may throw bad_alloc
#pragma omp parallel for schedule(dynamic, 1) num_threads(take >= 4096 ? threads_ : 1)
    for (int c = 0; c < kColumns; ++c) guard.run([&] { serve_column(c, batch, take, k); });
    guard.rethrow();
    const std::string where = " in chunk " + std::to_string(chunk_ - 1);
    if (k.bad_user) corrupt("user index out of range" + where);
    if (k.bad_type) corrupt("invalid event type" + where);
    // A matching checksum proves the bytes are the ones written, not that they are sane: a
    // crafted file must not feed overflowing times or amounts to the aggregation.
    if (!valid_event_time(k.lo) || !valid_event_time(k.hi))
      corrupt("event time out of range (years 0000 to 9999)" + where);
    if (k.bad_amount) corrupt("amount out of range (at most 9e12 per event)" + where);
    for (int ty = 0; ty < kEventTypeCount; ++ty) counts_.by_type[ty] += k.by_type[ty];
    if (counts_.events == 0) counts_.min_time = k.lo, counts_.max_time = k.hi;
    counts_.min_time = std::min(counts_.min_time, k.lo);
    counts_.max_time = std::max(counts_.max_time, k.hi);
    served_ += take;
    counts_.events += take;
    counts_.rows += take;
  }

  /// What serve's column tasks found (each task writes its own fields).
  struct ColumnChecks {
    bool bad_user = false, bad_type = false, bad_amount = false;
    std::uint64_t by_type[kEventTypeCount] = {};
    std::int64_t lo = 0, hi = 0;
  };

  template <typename T>
  void append(std::vector<T>& to, int c, std::size_t take) const {
    const T* from = column<T>(c);
    to.insert(to.end(), from, from + take);
  }

  void serve_column(int c, EventBatch& batch, std::size_t take, ColumnChecks& k) const {
    switch (c) {
      case 0: {  // users, mapped to the caller's dictionary
        const std::uint32_t* local = column<std::uint32_t>(0);
        const std::size_t old = batch.user.size(), n_users = to_caller_.size();
        batch.user.resize(old + take);
        std::uint32_t* user = batch.user.data() + old;
        for (std::size_t i = 0; i < take; ++i) {
          k.bad_user = k.bad_user || local[i] >= n_users;
          user[i] = local[i] < n_users ? to_caller_[local[i]] : 0;
        }
        break;
      }
      case 1: {
        const std::int64_t* time = column<std::int64_t>(1);
        k.lo = k.hi = time[0];
        for (std::size_t i = 1; i < take; ++i) k.lo = std::min(k.lo, time[i]), k.hi = std::max(k.hi, time[i]);
        append(batch.time, 1, take);
        break;
      }
      case 2: {
        const std::uint8_t* type = column<std::uint8_t>(2);
        for (std::size_t i = 0; i < take; ++i) {
          if (type[i] >= kEventTypeCount) k.bad_type = true;
          else ++k.by_type[type[i]];
        }
        append(batch.type, 2, take);  // EventType is one byte, as stored
        break;
      }
      case 3: {
        const double* amount = column<double>(3);
        for (std::size_t i = 0; i < take; ++i)
          k.bad_amount = k.bad_amount || (std::isfinite(amount[i]) && std::fabs(amount[i]) > detail::kMaxAmount);
        append(batch.amount, 3, take);
        break;
      }
      default: {  // the four keys
        std::vector<std::uint64_t>* keys[] = {&batch.item, &batch.category, &batch.session,
                                              &batch.order};
        append(*keys[c - 4], c, take);
      }
    }
  }

  /// At the end: the walk must have met every chunk and event the trailer promised.
  void finish() {
    if (finished_) return;
    finished_ = true;
    if (chunk_ != trailer_.chunk_count || counts_.events != trailer_.events) {
      corrupt("chunk or event count disagrees with the trailer");
    }
    if (counts_.events > 0 &&
        (counts_.min_time != trailer_.min_time || counts_.max_time != trailer_.max_time)) {
      corrupt("time range disagrees with the trailer");
    }
    for (int ty = 0; ty < kEventTypeCount; ++ty) {
      const auto t = static_cast<std::size_t>(ty);
      if (trailer_.by_type[t] != counts_.by_type[t]) {
        corrupt("events by type disagree with the trailer");
      }
    }
    // Report the rows the original input had (skipped ones included), as `info` on it would.
    counts_.rows = std::max(counts_.rows, trailer_.source_rows);
    counts_.bad_rows += trailer_.bad_rows;
    counts_.rows_without_user += trailer_.rows_without_user;
    // Orders counted at conversion include those of rows without a user, which the store does
    // not keep, so they come from the trailer rather than from the events.
    if (count_orders_) {
      counts_.orders += trailer_.orders;
      counts_.cancelled_orders += trailer_.cancelled_orders;
    }
  }

  store::StoreFile file_;
  UserDictionary& users_;
  std::size_t batch_rows_;
  bool count_orders_;
  int threads_;
  store::Trailer trailer_;
  std::vector<std::uint32_t> to_caller_;
  bool dictionary_loaded_ = false, finished_ = false;
  std::unique_ptr<unsigned char[]> buffer_;
  std::size_t capacity_ = 0;
  std::uint64_t offset_ = 0, chunk_ = 0;
  std::size_t rows_ = 0, served_ = 0;
  IngestCounts counts_;
};

}  // namespace

std::unique_ptr<EventSource> open_event_store(const std::string& path, const IngestOptions& options,
                                              UserDictionary& users) {
  return std::make_unique<StoreSource>(path, options, users);
}

bool is_event_store(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char magic[8];
  ssize_t n = ::pread(fd, magic, sizeof magic, 0);
  ::close(fd);
  return n == 8 && std::memcmp(magic, store::kMagic, 8) == 0;
}

}  // namespace segmint
