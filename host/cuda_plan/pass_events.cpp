// The per-pass event filter and slot packing.
#include "cuda_plan/pass_events.hpp"

#include <cstring>
#include <string>

#include "segmint/error.hpp"

namespace segmint::cuda_plan {

void append_pass_rows(const EventBatch& in, const PartitionPlan& plan, std::uint32_t pass,
                      EventBatch& out) {
  for (std::size_t r = 0; r < in.size(); ++r) {
    const std::uint32_t u = in.user[r];
    if (u >= plan.local.size()) {
      throw RuntimeError("event of user index " + std::to_string(u) +
                         " outside the partition plan of " + std::to_string(plan.local.size()) +
                         " users");
    }
    if (pass_of(u, plan.passes) != pass) continue;
    out.push_back(plan.local[u], in.time[r], in.type[r], in.amount[r], in.item[r], in.category[r],
                  in.session[r], in.order[r]);
  }
}

void split_by_pass(const EventBatch& in, const PartitionPlan& plan, std::vector<EventBatch>& out) {
  out.resize(plan.passes);
  for (std::uint32_t p = 0; p < plan.passes; ++p) append_pass_rows(in, plan, p, out[p]);
}

PackedLayout packed_layout(std::size_t rows) {
  PackedLayout l{};
  std::size_t at = 0;
  auto take = [&at, rows](std::size_t width) {
    const std::size_t here = at;
    at += (rows * width + 7) / 8 * 8;  // keep the next column 8-byte aligned
    return here;
  };
  l.time = take(8);
  l.amount = take(8);
  l.item = take(8);
  l.category = take(8);
  l.session = take(8);
  l.order = take(8);
  l.user = take(4);
  l.type = take(1);
  l.bytes = at;
  return l;
}

void pack_rows(const EventBatch& b, std::size_t first, std::size_t rows, void* dst) {
  if (first + rows > b.size()) throw RuntimeError("pack_rows: rows past the end of the batch");
  const PackedLayout l = packed_layout(rows);
  char* d = static_cast<char*>(dst);
  auto put = [&](std::size_t offset, const void* src, std::size_t width) {
    if (rows) std::memcpy(d + offset, static_cast<const char*>(src) + first * width, rows * width);
  };
  put(l.time, b.time.data(), 8);
  put(l.amount, b.amount.data(), 8);
  put(l.item, b.item.data(), 8);
  put(l.category, b.category.data(), 8);
  put(l.session, b.session.data(), 8);
  put(l.order, b.order.data(), 8);
  put(l.user, b.user.data(), 4);
  put(l.type, b.type.data(), 1);
}

}  // namespace segmint::cuda_plan
