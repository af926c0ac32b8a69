// User partition planner: hashes users into passes so that each pass's device state fits a budget.
// CUDA-free: the GPU feature path plans with it, the unit tests check it on the CPU.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace segmint::cuda_plan {

/// Device bytes one pass needs: per event (uploaded columns, sort buffers, CUB scratch) and per
/// user (segment offsets, the exact per-user summary, the feature row), plus a fixed reserve.
struct DeviceCosts {
  std::size_t bytes_per_event = 112;
  std::size_t bytes_per_user = 384;
  std::size_t fixed_bytes = 64u << 20;
  /// CUB's sorts count items in int: a pass holds at most this many events.
  std::size_t max_events_per_pass = 0x7fff0000u;
};

/// Which of `passes` passes user `user` belongs to: a fixed integer hash (splitmix64 finaliser) of
/// the dense index, so the plan depends on nothing but the user index and the pass count.
std::uint32_t pass_of(std::uint32_t user, std::uint32_t passes);

/// The partition: every user index in [0, users) is in exactly one pass.
struct PartitionPlan {
  std::uint32_t passes = 1;
  std::vector<std::uint64_t> events;  ///< events per pass
  std::vector<std::uint64_t> users;   ///< users per pass
  /// local[u]: rank of user u among the users of its own pass (ascending global index). One array
  /// serves every pass because each user is in exactly one.
  std::vector<std::uint32_t> local;
  /// Device bytes the largest pass needs under the costs it was planned with.
  std::size_t peak_bytes = 0;
};

/// Device bytes of one pass with `events` events and `users` users.
std::size_t pass_bytes(std::uint64_t events, std::uint64_t users, const DeviceCosts& costs);

/// Smallest pass count found (trying 1, 2, ... then growing by 1/8) such that every pass fits
/// `budget_bytes`. events_per_user[u] = events of user u. Throws RuntimeError when one user alone
/// does not fit, or the budget is below the fixed reserve.
PartitionPlan plan_partition(const std::vector<std::uint32_t>& events_per_user,
                             std::size_t budget_bytes, const DeviceCosts& costs = {});

/// Global user indices of pass `pass`, ascending (so position = local index). One sweep over
/// all users per call: use users_by_pass for every pass.
std::vector<std::uint32_t> users_of_pass(const PartitionPlan& plan, std::uint32_t pass);

/// The users of every pass, from one sweep over the users: pass p's global user indices,
/// ascending (position = local index), are users[begin[p], begin[p + 1]).
struct PassUsers {
  std::vector<std::uint64_t> begin;  ///< passes + 1 entries
  std::vector<std::uint32_t> users;
  std::size_t count(std::uint32_t pass) const { return begin[pass + 1] - begin[pass]; }
  const std::uint32_t* of(std::uint32_t pass) const { return users.data() + begin[pass]; }
};
PassUsers users_by_pass(const PartitionPlan& plan);

}  // namespace segmint::cuda_plan
