// UserTable: folding batches in parallel over users, merging tables, reading a whole source.
#include <omp.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "aggregate/user_agg.hpp"
#include "common/huge_pages.hpp"
#include "common/memory_budget.hpp"
#include "common/omp_guard.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {

int thread_count(const AggregateOptions& o) {
  return o.threads > 0 ? o.threads : std::max(1, omp_get_max_threads());
}

void check_batch(const EventBatch& b) {
  const std::size_t n = b.user.size();
  if (b.time.size() != n || b.type.size() != n || b.amount.size() != n || b.item.size() != n ||
      b.category.size() != n || b.session.size() != n || b.order.size() != n) {
    throw RuntimeError("UserTable::add: event batch columns have different lengths");
  }
}

// Dense batches (users <= 4 x rows), all passes parallel: (1) per-thread histograms of rows over
// P contiguous user ranges, (2) scatter of packed events into range order, (3) per range: a
// counting sort by user inside the range (cache-local) and the folds. The order of events within
// a user does not matter (fold_rows canonicalises) and each user is folded by one thread, so the
// result is the same for any thread count.
// Folds `n` events into `u`; returns how much the user's sets grew (bytes, for the budget).
std::int64_t fold_counted(const agg::PackedEvent* ev, std::size_t n, const AggregateOptions& opt,
                          agg::UserAgg& u) {
  const std::int64_t before = agg::heap_bytes(u);
  agg::fold_rows(ev, n, opt, u);
  return agg::heap_bytes(u) - before;
}

// Folds rows [first, first + n) of `b`; returns the growth of the users' sets in bytes.
std::int64_t add_dense(const EventBatch& b, std::size_t first, std::size_t n,
                       std::size_t user_count, agg::UserSlots& users, const AggregateOptions& opt,
                       int threads, agg::BatchScratch& table) {
  // Users per range: a power of two, so a row's range is a shift (a division per row in the
  // histogram and the scatter was ~1/4 of this function). 512-1024 ranges per thread: with
  // 32-64, folding a range of heavy users left the other thread waiting at the loop's end
  // (libgomp's spin was ~13% of a store run's samples); 17.7M events of 200k users from the
  // store: 0.91-1.03 -> 0.77-0.88 s (2-core Zen 4, 2026-12-04; 256 and 4096 were slower).
  const std::size_t want = std::min<std::size_t>(user_count, 1024 * static_cast<std::size_t>(threads));
  int shift = 0;
  while ((std::size_t{1} << shift) < (user_count + want - 1) / want) ++shift;
  const std::size_t span = std::size_t{1} << shift;
  const std::size_t parts = (user_count + span - 1) / span;
  std::vector<std::size_t> hist(static_cast<std::size_t>(threads) * parts, 0);
  std::vector<std::size_t> part_begin(parts + 1, 0);
  if (table.packed.size() < n) {
    reserve_huge(table.packed, n);
    reserve_huge(table.sorted, n);
    reserve_huge(table.owner, n);
    table.packed.resize(n);
    table.sorted.resize(n);
    table.owner.resize(n);
  }
  agg::PackedEvent* packed = table.packed.data();
  agg::PackedEvent* sorted = table.sorted.data();
  std::uint32_t* owner = table.owner.data();
  // The histogram and scatter phases only index preallocated arrays; the folds allocate, so they
  // run guarded (a failing thread still reaches the end of the region with the others).
  OmpGuard guard;
  std::int64_t grown = 0;
#pragma omp parallel num_threads(threads) reduction(+ : grown)
  {
    // The team may be smaller than asked for (thread limits): chunk by the actual size.
    const std::size_t team = static_cast<std::size_t>(omp_get_num_threads());
    const std::size_t t = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t lo = first + n * t / team, hi = first + n * (t + 1) / team;
    std::size_t* h = hist.data() + t * parts;
    for (std::size_t r = lo; r < hi; ++r) ++h[b.user[r] >> shift];
#pragma omp barrier
#pragma omp single
    {
      std::size_t run = 0;
      for (std::size_t p = 0; p < parts; ++p) {
        part_begin[p] = run;
        for (std::size_t k = 0; k < team; ++k) {
          std::size_t c = hist[k * parts + p];
          hist[k * parts + p] = run;
          run += c;
        }
      }
      part_begin[parts] = run;
    }  // implicit barrier
    for (std::size_t r = lo; r < hi; ++r) {
      const std::size_t pos = h[b.user[r] >> shift]++;  // 0-based within the slice
      packed[pos] = agg::pack(b, r);
      owner[pos] = b.user[r];
    }
#pragma omp barrier
    std::vector<std::size_t> end;
    std::vector<std::uint32_t> touched;
#pragma omp for schedule(dynamic, 1)
    for (std::size_t p = 0; p < parts; ++p) {
      guard.run([&] {
        const std::size_t a = part_begin[p], z = part_begin[p + 1];
        if (a == z) return;
        const std::size_t u0 = p * span, width = std::min(span, user_count - u0);
        end.assign(width + 1, 0);
        for (std::size_t k = a; k < z; ++k) ++end[owner[k] - u0 + 1];
        touched.clear();
        for (std::size_t i = 0; i < width; ++i) {
          if (end[i + 1] > 0) touched.push_back(static_cast<std::uint32_t>(i));
          end[i + 1] += end[i];
        }
        agg::PackedEvent* local = sorted + a;  // this range's share of the scratch
        for (std::size_t k = a; k < z; ++k) local[end[owner[k] - u0]++] = packed[k];
        // Now end[i] is where user u0+i's events end; they start where user u0+i-1's end.
        // With more users than the caches hold, a user's aggregate and its sets' block both
        // miss (most users get one or a few events a batch when the input is in time order):
        // prefetch the aggregates of the users kFar folds ahead and the blocks of those kNear
        // ahead, whose aggregates (holding the block's address) are then in cache.
        constexpr std::size_t kFar = 8, kNear = 4;
        const std::size_t folds = touched.size();
        for (std::size_t j = 0; j < folds; ++j) {
          if (j + kFar < folds) users.prefetch(u0 + touched[j + kFar]);
          if (j + kNear < folds) users[u0 + touched[j + kNear]].sets.prefetch();
          const std::size_t i = touched[j], s = i ? end[i - 1] : 0;
          grown += fold_counted(local + s, end[i] - s, opt, users[u0 + i]);
        }
      });
    }
  }
  guard.rethrow();
  return grown;
}

// Sparse batches (few rows, many users): sort row indices by user instead of histogramming
// every user, then fold each user's run.
std::int64_t add_sparse(const EventBatch& b, agg::UserSlots& users, const AggregateOptions& opt,
                        int threads) {
  const std::size_t n = b.size();
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  std::sort(rows.begin(), rows.end(), [&b](std::uint32_t x, std::uint32_t y) {
    return b.user[x] != b.user[y] ? b.user[x] < b.user[y] : x < y;
  });
  std::vector<agg::PackedEvent> packed(n);
  std::vector<std::size_t> begin;
  for (std::size_t k = 0; k < n; ++k) {
    packed[k] = agg::pack(b, rows[k]);
    if (k == 0 || b.user[rows[k]] != b.user[rows[k - 1]]) begin.push_back(k);
  }
  begin.push_back(n);
  const std::int64_t runs = static_cast<std::int64_t>(begin.size()) - 1;
  OmpGuard guard;
  std::int64_t grown = 0;
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads) reduction(+ : grown)
  for (std::int64_t i = 0; i < runs; ++i) {
    guard.run([&] {
      grown += fold_counted(packed.data() + begin[i], begin[i + 1] - begin[i], opt,
                            users[b.user[rows[begin[i]]]]);
    });
  }
  guard.rethrow();
  return grown;
}

}  // namespace

UserTable::UserTable() : impl_(new Impl) {}
UserTable::UserTable(const AggregateOptions& o) : impl_(new Impl) {
  if (o.session_gap_seconds < 0) throw UsageError("session gap must not be negative");
  impl_->options = o;
}
UserTable::~UserTable() = default;
UserTable::UserTable(UserTable&&) noexcept = default;
UserTable& UserTable::operator=(UserTable&&) noexcept = default;

namespace agg {

std::int64_t UserSlots::release_before(std::size_t n) {
  n = std::min(n, size_);
  std::int64_t freed = 0;
  for (std::size_t i = released_; i < n; ++i) {
    UserAgg& u = (*this)[i];
    freed += heap_bytes(u);
    u.sets.clear();
  }
  released_ = std::max(released_, n);
  const std::size_t whole = released_ >= size_ ? blocks_.size() : released_ / kBlock;
  for (; freed_blocks_ < whole; ++freed_blocks_) blocks_[freed_blocks_].reset();
  return freed;
}

}  // namespace agg

namespace {

void check_not_released(const agg::UserSlots& users, const char* what) {
  if (users.released() > 0) {
    throw RuntimeError(std::string("UserTable::") + what + ": the table's users were released");
  }
}

}  // namespace

void UserTable::release_users_before(std::size_t n) {
  impl_->set_bytes -= impl_->users.release_before(n);
  return_free_memory();
}

std::size_t UserTable::users() const { return impl_->users.size(); }
void UserTable::ensure_users(std::size_t n) {
  if (impl_->users.size() >= n) return;
  check_not_released(impl_->users, "ensure_users");
  impl_->users.resize(n);
}
const AggregateOptions& UserTable::options() const { return impl_->options; }
void UserTable::set_memory_budget(std::size_t bytes) { impl_->options.memory_budget = bytes; }
std::size_t UserTable::memory_bytes() const {
  return impl_->users.capacity() * sizeof(agg::UserAgg) +
         static_cast<std::size_t>(std::max<std::int64_t>(0, impl_->set_bytes));
}
detail::UserSummary UserTable::summary(std::size_t user) const {
  if (user < impl_->users.released()) throw RuntimeError("UserTable::summary: user was released");
  return agg::summarize(impl_->users[user]);
}

std::pair<std::int64_t, std::int64_t> UserTable::event_time_range() const {
  std::int64_t first = detail::kNoTime, last = detail::kNoLastTime;
  for (std::size_t i = impl_->users.released(); i < impl_->users.size(); ++i) {
    const agg::UserAgg& u = impl_->users[i];
    first = std::min(first, u.first_event);
    last = std::max(last, u.last_event);
  }
  return {first, last};
}

void UserTable::add(const EventBatch& batch) {
  check_batch(batch);
  check_not_released(impl_->users, "add");
  if (batch.empty()) return;
  if (batch.size() > UINT32_MAX) throw RuntimeError("UserTable::add: batch over 2^32 rows");
  const std::uint32_t max_user = *std::max_element(batch.user.begin(), batch.user.end());
  auto& users = impl_->users;
  const std::size_t user_count = static_cast<std::size_t>(max_user) + 1;
  const std::size_t n = batch.size();
  const bool dense = user_count <= 4 * n;
  // Dense batches fold in slices of agg::dense_slice_rows rows (at least a quarter of the users,
  // as dense as the batch), which bound the packed copies of large batches.
  const std::size_t slice = std::max(agg::dense_slice_rows, (user_count + 3) / 4);
  const std::size_t budget = impl_->options.memory_budget;
  if (budget) {
    // What folding this batch allocates up front: new user slots (whole blocks), the batch
    // itself, and per folded row the packed copy (dense: a packed and a sorted copy of a slice
    // and its owners, kept for the next batch; sparse: one copy, row indices and run starts).
    const std::size_t block = agg::UserSlots::kBlock;
    const std::size_t slots = user_count > users.capacity()
                                  ? (user_count - users.capacity() + block - 1) / block * block
                                  : 0;
    constexpr std::size_t dense_row = 2 * sizeof(agg::PackedEvent) + 4;
    constexpr std::size_t sparse_row = sizeof(agg::PackedEvent) + 4 + sizeof(std::size_t);
    const std::size_t held = impl_->scratch.packed.size() * dense_row;  // from earlier batches
    const std::size_t transient = n * EventBatch::kBytesPerEvent +
                                  (dense ? std::max(held, std::min(n, slice) * dense_row)
                                         : held + n * sparse_row);
    require_memory(budget, memory_bytes() + slots * sizeof(agg::UserAgg) + transient,
                   "aggregating a batch of " + std::to_string(batch.size()) + " events into " +
                       std::to_string(std::max(users.size(), user_count)) + " users");
  }
  if (users.size() < user_count) users.resize(user_count);
  const int threads = thread_count(impl_->options);
  if (dense) {
    for (std::size_t first = 0; first < n; first += slice) {
      impl_->set_bytes += add_dense(batch, first, std::min(slice, n - first), user_count, users,
                                    impl_->options, threads, impl_->scratch);
    }
  } else {
    impl_->set_bytes += add_sparse(batch, users, impl_->options, threads);
  }
  require_memory(budget, memory_bytes(),
                 "the aggregates of " + std::to_string(users.size()) + " users");
}

void UserTable::merge(const UserTable& other) {
  if (&other == this) {  // merging reads `other` while writing `this`: work on a copy
    UserTable copy(other.impl_->options);
    copy.merge(other);
    merge(copy);
    return;
  }
  check_not_released(impl_->users, "merge");
  check_not_released(other.impl_->users, "merge");
  const AggregateOptions& a = impl_->options;
  const AggregateOptions& b = other.impl_->options;
  if (a.session_gap_seconds != b.session_gap_seconds ||
      a.tz_offset_minutes != b.tz_offset_minutes) {
    throw UsageError("cannot merge user aggregates built with different options (session gap " +
                     std::to_string(a.session_gap_seconds) + " s vs " +
                     std::to_string(b.session_gap_seconds) + " s, tz offset " +
                     std::to_string(a.tz_offset_minutes) + " vs " +
                     std::to_string(b.tz_offset_minutes) + " min)");
  }
  auto& users = impl_->users;
  const auto& theirs = other.impl_->users;
  if (users.size() < theirs.size()) users.resize(theirs.size());
  const std::int64_t count = static_cast<std::int64_t>(theirs.size());
  OmpGuard guard;
  std::int64_t grown = 0;
#pragma omp parallel for schedule(dynamic, 256) num_threads(thread_count(a)) reduction(+ : grown)
  for (std::int64_t i = 0; i < count; ++i) {
    guard.run([&] {
      const std::int64_t before = agg::heap_bytes(users[i]);
      agg::merge_into(users[i], theirs[i], a.session_gap_seconds);
      grown += agg::heap_bytes(users[i]) - before;
    });
  }
  guard.rethrow();
  impl_->set_bytes += grown;
  require_memory(a.memory_budget, memory_bytes(),
                 "the merged aggregates of " + std::to_string(users.size()) + " users");
}

UserTable aggregate_events(EventSource& source, const AggregateOptions& options) {
  UserTable table(options);
  EventBatch batch;
  while (source.next(batch)) table.add(batch);
  return table;
}

}  // namespace segmint
