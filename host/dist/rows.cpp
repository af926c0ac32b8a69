// owned_features (the global time range, then the shared row formula) and gather_rows.
#include "dist/rows.hpp"

#include <omp.h>

#include <algorithm>

#include "dist/comm.hpp"
#include "dist/wire.hpp"
#include "segmint/detail/feature_math.hpp"

namespace segmint::dist {

FeatureMatrix owned_features(const UserTable& table, const FeatureOptions& options,
                             std::int64_t* as_of) {
  // compute_features' rule over the union of the ranks' tables.
  // Plain variables, not a structured binding: clang 14 (the sanitizer build) cannot capture
  // those into the OpenMP region below.
  const auto range = table.event_time_range();
  std::int64_t first = min(range.first);
  const std::int64_t last = max(range.second);
  const std::int64_t at = options.as_of ? *options.as_of : (last == detail::kNoLastTime ? 0 : last);
  if (first == detail::kNoTime) first = at;
  *as_of = at;
  FeatureMatrix m;
  m.rows = table.users();
  m.cols = detail::kFeatureCount;
  m.values.assign(m.rows * m.cols, 0.f);
  for (const auto& f : feature_catalog()) m.names.push_back(f.name);
  const auto n = static_cast<std::int64_t>(m.rows);
  const int threads = table.options().threads > 0 ? table.options().threads : omp_get_max_threads();
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(dynamic, 1024) num_threads(threads)
  for (std::int64_t i = 0; i < n; ++i) {
    detail::compute_feature_row(table.summary(static_cast<std::size_t>(i)), at, first,
                                m.values.data() + i * m.cols);
  }
  return m;
}

void gather_rows(const UserDictionary& users, const FeatureMatrix& mine,
                 const std::vector<std::uint64_t>& rows, std::uint64_t total,
                 std::vector<std::string>* ids, FeatureMatrix* raw) {
  const std::size_t d = mine.cols;
  if (is_root()) {
    ids->assign(total, std::string());
    raw->rows = total;
    raw->cols = d;
    raw->names = mine.names;
    raw->values.assign(total * d, 0.f);
    raw->device.reset();  // new values: a backend's device copy would be stale
  }
  for (std::size_t from = 0;; from += kRowsPerRound) {
    const std::size_t to = std::min(mine.rows, from + kRowsPerRound);
    Writer w;
    for (std::size_t i = from; i < to; ++i) {
      w.put(rows[i]);
      w.put_string(users.id(static_cast<std::uint32_t>(i)));
      w.put_array(mine.values.data() + i * d, d);
    }
    const std::vector<std::string> got = gather(w.bytes);
    for (const std::string& m : got) {
      Unpacker r(m);
      while (!r.done()) {
        const auto row = r.get<std::uint64_t>();
        if (row >= total) throw RuntimeError("gather_rows: a row past the end");
        (*ids)[row] = std::string(r.get_string());
        r.get_array(raw->values.data() + row * d, d);
      }
    }
    if (sum(to < mine.rows ? 1 : 0) == 0) break;
  }
}

}  // namespace segmint::dist
