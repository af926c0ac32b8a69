// Launchers of the device aggregation (defined in sort_pairs.cu and user_walk_kernels.cu). All
// are asynchronous on the stream passed last.
//
// One pass = every event of a set of users, on the device at once. Its per-user aggregates are
// built exactly as the CPU UserTable's (same integers), by sorting instead of merging sets:
//  1. rows sorted by local user (radix sort), user segment offsets by binary search;
//  2. rows sorted by time within each user (segmented sort) -> perm, the (user, time) order;
//  3. one thread per user runs detail::walk_scalar over its segment in time order;
//  4. for each set (active days, orders, session ids, categories) the segment is sorted by
//     set_key and one thread per user runs walk_set over it (include/segmint/detail/user_walk.hpp,
//     the same code tests/unit/user_walk_test.cpp runs on the CPU against the UserTable).
// Because a pass holds all of its users' events, no partial aggregates are merged: results are
// independent of how the events were batched on the way in.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "segmint/detail/user_walk.hpp"
#include "segmint/detail/feature_math.hpp"

namespace segmint::cuda {

using PassColumns = detail::EventColumns;
using detail::SetKind;

// --- sort_pairs.cu ----------------------------------------------------------------------------
/// Scratch bytes for sorting `n` items in `segments` segments (max over both sorts).
std::size_t sort_scratch_bytes(std::size_t n, std::size_t segments);
/// Radix sort of (key, value) pairs on bits [0, key_bits) of the key.
void sort_pairs(const std::uint64_t* keys_in, std::uint64_t* keys_out, const std::uint32_t* vals_in,
                std::uint32_t* vals_out, std::size_t n, int key_bits, void* scratch,
                std::size_t scratch_bytes, cudaStream_t stream);
/// Sort of (key, value) pairs within segments [offsets[s], offsets[s + 1]).
void sort_pairs_segmented(const std::uint64_t* keys_in, std::uint64_t* keys_out,
                          const std::uint32_t* vals_in, std::uint32_t* vals_out, std::size_t n,
                          std::size_t segments, const int* offsets, void* scratch,
                          std::size_t scratch_bytes, cudaStream_t stream);

// --- user_walk_kernels.cu ---------------------------------------------------------------------
/// keys[r] = user[r], vals[r] = r.
void launch_user_keys(PassColumns c, std::size_t n, std::uint64_t* keys, std::uint32_t* vals,
                      cudaStream_t stream);
/// offsets[u] = first position of user u in the user-sorted keys, u in [0, users].
void launch_offsets(const std::uint64_t* sorted_users, std::size_t n, std::size_t users,
                    int* offsets, cudaStream_t stream);
/// keys[p] = order-preserving time of row rows[p], vals[p] = rows[p].
void launch_time_keys(PassColumns c, const std::uint32_t* rows, std::size_t n,
                      std::uint64_t* keys, std::uint32_t* vals, cudaStream_t stream);
/// Step 3 above: writes every field of out[u] except the set-derived ones.
void launch_scalar(PassColumns c, const std::uint32_t* perm, const int* offsets, std::size_t users,
                   std::int64_t session_gap, std::int64_t tz_seconds, detail::UserSummary* out,
                   cudaStream_t stream);
/// Keys of one set for positions in perm order; rows outside the set get the largest key.
void launch_set_keys(SetKind kind, PassColumns c, const std::uint32_t* perm, std::size_t n,
                     std::int64_t tz_seconds, std::uint64_t* keys, std::uint32_t* vals,
                     cudaStream_t stream);
/// Step 4 above for one set, from the segment-sorted keys and rows.
void launch_set_reduce(SetKind kind, PassColumns c, const std::uint64_t* keys,
                       const std::uint32_t* rows, const int* offsets, std::size_t users,
                       detail::UserSummary* out, cudaStream_t stream);

}  // namespace segmint::cuda
