// PassAggregator: the sequence of sorts, the reorder and the walks of one pass.
#include "aggregate/pass_aggregator.hpp"

#include <algorithm>

namespace segmint::cuda {
namespace {

int bits_for(std::size_t users) {
  int b = 1;
  while (b < 64 && (std::uint64_t{1} << b) < users) ++b;
  return b;
}

}  // namespace

void PassAggregator::reserve(std::size_t n, std::size_t users) {
  const std::size_t cap = std::max<std::size_t>(n, 1);
  for (auto& k : keys_) k.resize(cap);
  for (auto& v : vals_) v.resize(cap);
  offsets_.resize(users + 1);
  heavy_.resize(std::max<std::size_t>(users, 1));
  heavy_count_.resize(1);
  scratch_.resize(aggregate_scratch_bytes(n, users));
}

void PassAggregator::run(EventStore& store, std::int64_t gap, std::int64_t tz,
                         detail::UserSummary* out) {
  const std::size_t n = store.size(), users = store.users();
  if (users == 0) return;
  reserve(n, users);
  const cudaStream_t s = res_.compute();
  const StoreColumns cols = store.columns();
  const PassColumns c = cols.view();
  void* scratch = scratch_.get();
  const std::size_t bytes = scratch_.size();
  int* off = offsets_.get();
  SortBuffers b{{keys_[0].get(), keys_[1].get()}, {vals_[0].get(), vals_[1].get()}, 0};
  // (user, time) order: radix sort by user, segments, then time within each segment.
  launch_user_keys(cols.user, n, b.key(), b.val(), s);
  sort_pairs(b, n, bits_for(users), scratch, bytes, s);
  launch_offsets(b.key(), n, users, off, s);
  launch_time_keys(c, b.val(), n, b.spare_key(), b.spare_val(), s);
  b.current ^= 1;
  sort_segments(b, n, users, off, scratch, bytes, s);
  launch_reorder(cols, b.val(), n, b.spare_key(), s);  // from here on, position = row
  // Light users one thread each, heavy ones a block each (disjoint users, any order).
  select_heavy(off, users, heavy_.get(), heavy_count_.get(), scratch, bytes, s);
  const std::size_t max_heavy = n / static_cast<std::size_t>(kHeavyEvents);
  const detail::EventCounters* counters = store.counters();
  launch_light_time(c, counters, off, users, gap, tz, out, s);
  launch_heavy_time(c, counters, off, heavy_.get(), heavy_count_.get(), max_heavy, gap, tz, out,
                    s);
  for (SetKind k : {SetKind::orders, SetKind::sessions, SetKind::categories}) {
    launch_set_keys(k, c, n, tz, b.key(), b.val(), s);
    sort_segments(b, n, users, off, scratch, bytes, s);
    launch_light_set(k, c, b.key(), b.val(), off, users, out, s);
    if (k == SetKind::categories) {
      launch_heavy_categories(c, b.key(), b.val(), off, heavy_.get(), heavy_count_.get(),
                              max_heavy, b.spare_val(), out, s);
    } else {
      launch_heavy_set(k, c, b.key(), b.val(), off, heavy_.get(), heavy_count_.get(), max_heavy,
                       out, s);
    }
  }
}

void PassAggregator::release() {
  for (auto& k : keys_) k = {};
  for (auto& v : vals_) v = {};
  offsets_ = {};
  heavy_ = {};
  heavy_count_ = {};
  scratch_ = {};
}

}  // namespace segmint::cuda
