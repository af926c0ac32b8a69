// Launchers of the device aggregation (defined in fold_kernels.cu, sort_pairs.cu,
// user_walk_kernels.cu and heavy_walk_kernels.cu). All are asynchronous on the stream passed
// last. The math is include/segmint/detail/'s, the same code tests/unit/device_aggregation_test
// runs on the CPU against the UserTable:
//  1. while events stream in, each uploaded chunk is appended to the event store and folded into
//     per-user EventCounters with integer atomics (order-free: sums, minima, maxima);
//  2. at the end of a pass, the store is sorted by user (radix sort), user segments are found,
//     each segment is sorted by time (segmented sort) and every column is reordered once into
//     (user, time) order, so the walks read contiguous memory;
//  3. one thread per light user, one block per heavy user (>= kHeavyEvents events, chunked
//     partials combined in a fixed order) walks the time order: gap sessions, active days, open
//     carts;
//  4. for orders, session ids and categories the segments are sorted by the set key and walked
//     the same way (a heavy user's categories from its key-group starts, entropy in key order).
// A pass holds every event of its users, so nothing but the counters is merged across batches.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "segmint/detail/event_counters.hpp"
#include "segmint/detail/feature_math.hpp"
#include "segmint/detail/walk_columns.hpp"

namespace segmint::cuda {

using PassColumns = detail::EventColumns;
using detail::SetKind;

/// Users with at least this many events are walked by a block of threads instead of one thread.
inline constexpr std::int64_t kHeavyEvents = 2048;
/// Threads of a heavy user's block (each walks a contiguous chunk of the user's events).
inline constexpr int kHeavyBlock = 128;

/// The event store's columns as kernels write them (upload targets, the reorder).
struct StoreColumns {
  std::int64_t* time;
  double* amount;
  std::uint64_t *item, *category, *session, *order;
  std::uint32_t* user;
  std::uint8_t* type;
  PassColumns view() const { return {time, amount, item, category, session, order, user, type}; }
};

/// Two key and two value buffers of n entries; `current` says which holds the data (the sorts
/// ping-pong between them, as cub::DoubleBuffer).
struct SortBuffers {
  std::uint64_t* keys[2];
  std::uint32_t* vals[2];
  int current = 0;
  std::uint64_t* key() const { return keys[current]; }
  std::uint32_t* val() const { return vals[current]; }
  std::uint64_t* spare_key() const { return keys[current ^ 1]; }
  std::uint32_t* spare_val() const { return vals[current ^ 1]; }
};

// --- fold_kernels.cu --------------------------------------------------------------------------
/// counters[from, to) = detail::empty_counters().
void launch_init_counters(detail::EventCounters* counters, std::size_t from, std::size_t to,
                          cudaStream_t stream);
/// Folds store rows [first, first + rows) into counters[user] (integer atomics).
void launch_fold(PassColumns store, std::size_t first, std::size_t rows, std::int64_t tz_seconds,
                 detail::EventCounters* counters, cudaStream_t stream);
/// range[0] = min first_event, range[1] = max last_event over counters[0, users) (range is
/// device memory of two values, overwritten).
void launch_time_range(const detail::EventCounters* counters, std::size_t users,
                       std::int64_t* range, cudaStream_t stream);

// --- sort_pairs.cu ----------------------------------------------------------------------------
/// Scratch bytes for the sorts of n items in `segments` segments and the heavy-user selection.
std::size_t aggregate_scratch_bytes(std::size_t n, std::size_t segments);
/// Radix sort of the current (key, value) pairs on bits [0, key_bits); b.current follows.
void sort_pairs(SortBuffers& b, std::size_t n, int key_bits, void* scratch,
                std::size_t scratch_bytes, cudaStream_t stream);
/// Sort of the current pairs within segments [offsets[s], offsets[s + 1]); b.current follows.
void sort_segments(SortBuffers& b, std::size_t n, std::size_t segments, const int* offsets,
                   void* scratch, std::size_t scratch_bytes, cudaStream_t stream);
/// heavy[0, *count) = the users u < users (ascending) with offsets[u + 1] - offsets[u] >=
/// kHeavyEvents; *count is device memory.
void select_heavy(const int* offsets, std::size_t users, std::uint32_t* heavy, int* count,
                  void* scratch, std::size_t scratch_bytes, cudaStream_t stream);

// --- user_walk_kernels.cu ---------------------------------------------------------------------
/// keys[p] = user[p], vals[p] = p.
void launch_user_keys(const std::uint32_t* user, std::size_t n, std::uint64_t* keys,
                      std::uint32_t* vals, cudaStream_t stream);
/// offsets[u] = first position of user u in the user-sorted keys, u in [0, users].
void launch_offsets(const std::uint64_t* sorted_users, std::size_t n, std::size_t users,
                    int* offsets, cudaStream_t stream);
/// keys[p] = order-preserving time of row rows[p], vals[p] = rows[p].
void launch_time_keys(PassColumns c, const std::uint32_t* rows, std::size_t n,
                      std::uint64_t* keys, std::uint32_t* vals, cudaStream_t stream);
/// Every column but user gathered into the order perm (column[p] = old column[perm[p]]), through
/// `spare` (n 8-byte entries); the user column is left as it was.
void launch_reorder(StoreColumns c, const std::uint32_t* perm, std::size_t n, void* spare,
                    cudaStream_t stream);
/// Light users: out[u] = counters[u]'s summary with the time walk's fields (DirectRows: the
/// columns are in (user, time) order). Heavy users are left to launch_heavy_time.
void launch_light_time(PassColumns c, const detail::EventCounters* counters, const int* offsets,
                       std::size_t users, std::int64_t gap, std::int64_t tz,
                       detail::UserSummary* out, cudaStream_t stream);
/// keys[p] = set_key(kind, row p), vals[p] = p.
void launch_set_keys(SetKind kind, PassColumns c, std::size_t n, std::int64_t tz_seconds,
                     std::uint64_t* keys, std::uint32_t* vals, cudaStream_t stream);
/// Light users: adds the set walk over the segment-sorted keys and rows.
void launch_light_set(SetKind kind, PassColumns c, const std::uint64_t* keys,
                      const std::uint32_t* rows, const int* offsets, std::size_t users,
                      detail::UserSummary* out, cudaStream_t stream);

// --- heavy_walk_kernels.cu --------------------------------------------------------------------
/// Heavy users (heavy[0, *count)): the whole of launch_light_time, one block per user.
void launch_heavy_time(PassColumns c, const detail::EventCounters* counters, const int* offsets,
                       const std::uint32_t* heavy, const int* count, std::size_t max_heavy,
                       std::int64_t gap, std::int64_t tz, detail::UserSummary* out,
                       cudaStream_t stream);
/// Heavy users: the orders or sessions set walk, one block per user.
void launch_heavy_set(SetKind kind, PassColumns c, const std::uint64_t* keys,
                      const std::uint32_t* rows, const int* offsets, const std::uint32_t* heavy,
                      const int* count, std::size_t max_heavy, detail::UserSummary* out,
                      cudaStream_t stream);
/// Heavy users: categories from their key-group starts (written to `starts`, n entries).
void launch_heavy_categories(PassColumns c, const std::uint64_t* keys, const std::uint32_t* rows,
                             const int* offsets, const std::uint32_t* heavy, const int* count,
                             std::size_t max_heavy, std::uint32_t* starts,
                             detail::UserSummary* out, cudaStream_t stream);

}  // namespace segmint::cuda
