// The per-pass event filter and slot packing.
#include "cuda_plan/pass_events.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "segmint/error.hpp"

namespace segmint::cuda_plan {

namespace {

void check_user(std::uint32_t u, const PartitionPlan& plan) {
  if (u >= plan.local.size()) {
    throw RuntimeError("event of user index " + std::to_string(u) +
                       " outside the partition plan of " + std::to_string(plan.local.size()) +
                       " users");
  }
}

void append_row(const EventBatch& in, std::size_t r, std::uint32_t user, EventBatch& out) {
  out.push_back(user, in.time[r], in.type[r], in.amount[r], in.item[r], in.category[r],
                in.session[r], in.order[r]);
}

}  // namespace

void append_pass_rows(const EventBatch& in, const PartitionPlan& plan, std::uint32_t pass,
                      EventBatch& out) {
  for (std::size_t r = 0; r < in.size(); ++r) {
    const std::uint32_t u = in.user[r];
    check_user(u, plan);
    if (pass_of(u, plan.passes) == pass) append_row(in, r, plan.local[u], out);
  }
}

void split_by_pass(const EventBatch& in, const PartitionPlan& plan, std::vector<EventBatch>& out) {
  const PassRows index = rows_by_pass(in, plan);
  out.resize(plan.passes);
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    out[p].reserve(out[p].size() + index.count(p));
    for (std::size_t i = 0; i < index.count(p); ++i) {
      const std::uint32_t r = index.of(p)[i];
      append_row(in, r, plan.local[in.user[r]], out[p]);
    }
  }
}

PassRows rows_by_pass(const EventBatch& in, const PartitionPlan& plan) {
  if (in.size() > UINT32_MAX) {
    throw RuntimeError("rows_by_pass: " + std::to_string(in.size()) + " rows, at most 2^32 - 1");
  }
  PassRows out;
  out.begin.assign(static_cast<std::size_t>(plan.passes) + 1, 0);
  std::vector<std::uint32_t> pass(in.size());
  for (std::size_t r = 0; r < in.size(); ++r) {
    check_user(in.user[r], plan);
    pass[r] = pass_of(in.user[r], plan.passes);
    out.begin[pass[r] + 1] += 1;
  }
  for (std::uint32_t p = 0; p < plan.passes; ++p) out.begin[p + 1] += out.begin[p];
  std::vector<std::uint64_t> next(out.begin.begin(), out.begin.end() - 1);
  out.rows.resize(in.size());
  for (std::size_t r = 0; r < in.size(); ++r) out.rows[next[pass[r]]++] = static_cast<std::uint32_t>(r);
  return out;
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

namespace {

/// Rows [first, first + rows) of b into positions [at, at + rows) of a slot laid out for
/// slot_rows rows.
void pack_piece(const EventBatch& b, std::size_t first, std::size_t rows, char* d,
                const PackedLayout& l, std::size_t at) {
  auto put = [&](std::size_t offset, const void* src, std::size_t width) {
    if (rows) {
      std::memcpy(d + offset + at * width, static_cast<const char*>(src) + first * width,
                  rows * width);
    }
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

}  // namespace

void pack_rows(const EventBatch& b, std::size_t first, std::size_t rows, void* dst, int threads) {
  if (first + rows > b.size()) throw RuntimeError("pack_rows: rows past the end of the batch");
  const PackedLayout l = packed_layout(rows);
  char* d = static_cast<char*>(dst);
  constexpr std::size_t kPiece = 1 << 16;
  const std::int64_t pieces = static_cast<std::int64_t>((rows + kPiece - 1) / kPiece);
  if (threads <= 1 || pieces <= 1) {
    pack_piece(b, first, rows, d, l, 0);
    return;
  }
  // omp: cannot throw (copies between preallocated buffers): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t p = 0; p < pieces; ++p) {
    const std::size_t at = static_cast<std::size_t>(p) * kPiece;
    pack_piece(b, first + at, std::min(kPiece, rows - at), d, l, at);
  }
}

void pack_rows_at(const EventBatch& b, const std::uint32_t* at, std::size_t count,
                  const std::vector<std::uint32_t>& local, void* dst) {
  const PackedLayout l = packed_layout(count);
  char* d = static_cast<char*>(dst);
  auto gather = [&](std::size_t offset, const auto* src) {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(src)>>;
    T* out = reinterpret_cast<T*>(d + offset);
    for (std::size_t i = 0; i < count; ++i) out[i] = src[at[i]];
  };
  gather(l.time, b.time.data());
  gather(l.amount, b.amount.data());
  gather(l.item, b.item.data());
  gather(l.category, b.category.data());
  gather(l.session, b.session.data());
  gather(l.order, b.order.data());
  gather(l.type, b.type.data());
  auto* user = reinterpret_cast<std::uint32_t*>(d + l.user);
  for (std::size_t i = 0; i < count; ++i) user[i] = local[b.user[at[i]]];
}

}  // namespace segmint::cuda_plan
