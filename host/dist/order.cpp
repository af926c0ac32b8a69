// global_rows: a distributed bucket sort whose buckets are the readers (reader r's part of the
// input precedes reader r+1's), then an exclusive scan of the bucket sizes.
#include "dist/order.hpp"

#include <algorithm>
#include <tuple>

#include "dist/comm.hpp"
#include "dist/shuffle.hpp"
#include "dist/wire.hpp"

namespace segmint::dist {

std::vector<std::uint64_t> global_rows(const std::vector<std::uint64_t>& first,
                                       std::uint64_t state_rows, std::uint64_t* total) {
  const auto n = static_cast<std::size_t>(size());
  std::vector<std::uint64_t> rows(first.size(), 0);
  // 1. Each new user's appearance number to its reader (in owned-user order per reader).
  std::vector<Writer> ask(n);
  std::vector<std::vector<std::size_t>> asked(n);
  std::uint64_t kept = 0;
  for (std::size_t i = 0; i < first.size(); ++i) {
    const std::uint64_t key = first[i];
    if (key < kNewUser) {
      rows[i] = key;
      ++kept;
      continue;
    }
    const auto reader = static_cast<std::size_t>((key & ~kNewUser) >> kSeqBits);
    ask[reader].put(key);
    asked[reader].push_back(i);
  }
  std::vector<std::string> out(n);
  for (std::size_t d = 0; d < n; ++d) out[d] = std::move(ask[d].bytes);
  const std::vector<std::string> in = exchange(out);
  // 2. As a reader: sort the keys met here; number them after the readers before this one.
  std::vector<std::tuple<std::uint64_t, std::uint32_t, std::uint32_t>> met;  // key, owner, slot
  for (std::size_t s = 0; s < n; ++s) {
    Unpacker r(in[s]);
    for (std::uint32_t slot = 0; !r.done(); ++slot) {
      met.emplace_back(r.get<std::uint64_t>(), static_cast<std::uint32_t>(s), slot);
    }
  }
  std::sort(met.begin(), met.end());
  const std::uint64_t base = state_rows + sum_before(met.size());
  std::vector<std::vector<std::uint64_t>> reply(n);
  for (std::size_t s = 0; s < n; ++s) reply[s].resize(in[s].size() / sizeof(std::uint64_t));
  for (std::size_t j = 0; j < met.size(); ++j) {
    reply[std::get<1>(met[j])][std::get<2>(met[j])] = base + j;
  }
  for (std::size_t s = 0; s < n; ++s) {
    Writer w;
    w.put_array(reply[s].data(), reply[s].size());
    out[s] = std::move(w.bytes);
  }
  // 3. Back to the owners.
  const std::vector<std::string> back = exchange(out);
  for (std::size_t d = 0; d < n; ++d) {
    Unpacker r(back[d]);
    for (std::size_t i : asked[d]) rows[i] = r.get<std::uint64_t>();
  }
  *total = sum(first.size());
  if (sum(kept) > state_rows)
    throw RuntimeError("global_rows: more saved users than the state has");
  return rows;
}

}  // namespace segmint::dist
