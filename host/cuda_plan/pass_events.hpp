// The per-pass event filter and the packing of event rows into a pinned transfer slot.
// CUDA-free: the GPU path fills pinned slots with it; the unit tests check it on the CPU.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cuda_plan/partition.hpp"
#include "segmint/events.hpp"

namespace segmint::cuda_plan {

/// Appends the rows of `in` whose user is in pass `pass` to `out`, in input order, with the user
/// column rewritten to the user's local index in that pass (plan.local). Throws RuntimeError for
/// a user index the plan does not cover.
void append_pass_rows(const EventBatch& in, const PartitionPlan& plan, std::uint32_t pass,
                      EventBatch& out);

/// Same for every pass at once (one sweep over the rows): out is resized to plan.passes and
/// rows are appended to each.
void split_by_pass(const EventBatch& in, const PartitionPlan& plan, std::vector<EventBatch>& out);

/// The rows of a batch grouped by pass in one counting sort over the rows (input order kept
/// within a pass): pass p's row indices are rows[begin[p], begin[p + 1]).
struct PassRows {
  std::vector<std::uint64_t> begin;  ///< passes + 1 entries
  std::vector<std::uint32_t> rows;
  std::size_t count(std::uint32_t pass) const { return begin[pass + 1] - begin[pass]; }
  const std::uint32_t* of(std::uint32_t pass) const { return rows.data() + begin[pass]; }
};
/// Throws RuntimeError for a user index the plan does not cover and for 2^32 rows or more.
PassRows rows_by_pass(const EventBatch& in, const PartitionPlan& plan);

/// Bytes one event takes on the way to the device: time, amount, item, category, session,
/// order (8 each), user (4), type (1).
inline constexpr std::size_t kPackedBytesPerEvent = 6 * 8 + 4 + 1;

/// Where each column starts inside a slot packed for `rows` rows (8-byte columns first so that
/// every column is naturally aligned).
struct PackedLayout {
  std::size_t time, amount, item, category, session, order, user, type, bytes;
};
PackedLayout packed_layout(std::size_t rows);

/// Copies rows [first, first + rows) of `batch` column by column into `dst`
/// (packed_layout(rows).bytes bytes, 8-byte aligned). threads > 1 splits the rows among that
/// many OpenMP threads (the same bytes).
void pack_rows(const EventBatch& batch, std::size_t first, std::size_t rows, void* dst,
               int threads = 1);

/// Packs the `count` rows at[0, count) of `batch` into `dst` (packed_layout(count)), with the
/// user column rewritten to local[user] (a pass's local indices, PartitionPlan::local).
void pack_rows_at(const EventBatch& batch, const std::uint32_t* at, std::size_t count,
                  const std::vector<std::uint32_t>& local, void* dst);

}  // namespace segmint::cuda_plan
