// The process-wide cancellation check (see segmint/cancel.hpp).
#include "segmint/cancel.hpp"

#include <atomic>

namespace segmint {
namespace {
std::atomic<CancelCheck> g_check{nullptr};
}  // namespace

void set_cancel_check(CancelCheck check) noexcept { g_check.store(check); }

void throw_if_cancelled() {
  const CancelCheck check = g_check.load(std::memory_order_relaxed);
  if (check && check()) throw Cancelled();
}

}  // namespace segmint
