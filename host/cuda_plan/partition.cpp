// User partition planner: hash users into passes, grow the pass count until every pass fits.
#include "cuda_plan/partition.hpp"

#include <algorithm>
#include <string>

#include "segmint/detail/rng.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda_plan {

std::uint32_t pass_of(std::uint32_t user, std::uint32_t passes) {
  if (passes <= 1) return 0;
  return static_cast<std::uint32_t>(detail::mix64(user) % passes);
}

std::size_t pass_bytes(std::uint64_t events, std::uint64_t users, const DeviceCosts& costs) {
  return costs.fixed_bytes + static_cast<std::size_t>(events) * costs.bytes_per_event +
         static_cast<std::size_t>(users + 1) * costs.bytes_per_user;
}

namespace {

// Fills the per-pass totals for `passes`; true when every pass fits.
bool try_passes(const std::vector<std::uint32_t>& epu, std::uint32_t passes, std::size_t budget,
                const DeviceCosts& costs, PartitionPlan& plan) {
  plan.passes = passes;
  plan.events.assign(passes, 0);
  plan.users.assign(passes, 0);
  for (std::size_t u = 0; u < epu.size(); ++u) {
    const std::uint32_t p = pass_of(static_cast<std::uint32_t>(u), passes);
    plan.events[p] += epu[u];
    plan.users[p] += 1;
  }
  plan.peak_bytes = 0;
  bool fits = true;
  for (std::uint32_t p = 0; p < passes; ++p) {
    const std::size_t b = pass_bytes(plan.events[p], plan.users[p], costs);
    plan.peak_bytes = std::max(plan.peak_bytes, b);
    fits = fits && b <= budget && plan.events[p] <= costs.max_events_per_pass;
  }
  return fits;
}

}  // namespace

PartitionPlan plan_partition(const std::vector<std::uint32_t>& events_per_user,
                             std::size_t budget_bytes, const DeviceCosts& costs) {
  if (budget_bytes <= pass_bytes(0, 0, costs)) {
    throw RuntimeError("device memory budget of " + std::to_string(budget_bytes) +
                       " bytes is below the fixed reserve of " +
                       std::to_string(pass_bytes(0, 0, costs)) + " bytes");
  }
  std::uint32_t worst_user = 0;
  for (std::size_t u = 0; u < events_per_user.size(); ++u) {
    if (events_per_user[u] > events_per_user[worst_user]) worst_user = static_cast<std::uint32_t>(u);
  }
  if (!events_per_user.empty() &&
      (pass_bytes(events_per_user[worst_user], 1, costs) > budget_bytes ||
       events_per_user[worst_user] > costs.max_events_per_pass)) {
    throw RuntimeError("user index " + std::to_string(worst_user) + " alone has " +
                       std::to_string(events_per_user[worst_user]) +
                       " events, more than one pass can hold within the device budget of " +
                       std::to_string(budget_bytes) + " bytes");
  }
  PartitionPlan plan;
  // Hashing spreads users unevenly, so allow more passes than users before giving up.
  const std::uint32_t max_passes = static_cast<std::uint32_t>(
      std::min<std::size_t>(0xffffffffu, 4 * events_per_user.size() + 1));
  std::uint32_t passes = 1;
  while (!try_passes(events_per_user, passes, budget_bytes, costs, plan)) {
    if (passes >= max_passes) {
      throw RuntimeError("no hash partition of the users into up to " +
                         std::to_string(max_passes) + " passes fits the device budget");
    }
    passes = std::min(max_passes, passes < 8 ? passes + 1 : passes + passes / 8);
  }
  plan.local.resize(events_per_user.size());
  std::vector<std::uint32_t> next(plan.passes, 0);
  for (std::size_t u = 0; u < events_per_user.size(); ++u) {
    plan.local[u] = next[pass_of(static_cast<std::uint32_t>(u), plan.passes)]++;
  }
  return plan;
}

PassUsers users_by_pass(const PartitionPlan& plan) {
  PassUsers out;
  out.begin.assign(static_cast<std::size_t>(plan.passes) + 1, 0);
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    out.begin[p + 1] = out.begin[p] + (p < plan.users.size() ? plan.users[p] : 0);
  }
  out.users.resize(plan.local.size());
  // local[u] is u's rank in its pass: the slot is known without a second counting pass.
  for (std::size_t u = 0; u < plan.local.size(); ++u) {
    const std::uint32_t p = pass_of(static_cast<std::uint32_t>(u), plan.passes);
    out.users[out.begin[p] + plan.local[u]] = static_cast<std::uint32_t>(u);
  }
  return out;
}

std::vector<std::uint32_t> users_of_pass(const PartitionPlan& plan, std::uint32_t pass) {
  std::vector<std::uint32_t> out;
  out.reserve(pass < plan.users.size() ? plan.users[pass] : 0);
  for (std::size_t u = 0; u < plan.local.size(); ++u) {
    if (pass_of(static_cast<std::uint32_t>(u), plan.passes) == pass) {
      out.push_back(static_cast<std::uint32_t>(u));
    }
  }
  return out;
}

}  // namespace segmint::cuda_plan
