// UserTable: folding batches in parallel over users, merging tables, reading a whole source.
#include <omp.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "aggregate/user_agg.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {

int thread_count(const AggregateOptions& o) {
  return o.threads > 0 ? o.threads : std::max(1, omp_get_max_threads());
}

void check_batch(const EventBatch& b) {
  const std::size_t n = b.user.size();
  if (b.time.size() != n || b.type.size() != n || b.amount.size() != n || b.item.size() != n ||
      b.category.size() != n || b.session.size() != n || b.order.size() != n) {
    throw RuntimeError("UserTable::add: event batch columns have different lengths");
  }
}

// Rows grouped by user: rows[begin[i]..begin[i+1]) belong to users[i]. The order of rows within a
// user does not matter (fold_rows canonicalises), so a counting sort or a pair sort both do.
struct Grouped {
  std::vector<std::uint32_t> users, rows;
  std::vector<std::size_t> begin;
};

Grouped group_by_user(const EventBatch& b, std::uint32_t user_count) {
  Grouped g;
  const std::size_t n = b.size();
  g.rows.resize(n);
  if (static_cast<std::size_t>(user_count) <= 4 * n) {
    std::vector<std::size_t> offset(static_cast<std::size_t>(user_count) + 1, 0);
    for (std::size_t r = 0; r < n; ++r) ++offset[b.user[r] + 1];
    for (std::uint32_t u = 0; u < user_count; ++u) {
      if (offset[u + 1] > 0) {
        g.users.push_back(u);
        g.begin.push_back(offset[u]);
      }
      offset[u + 1] += offset[u];
    }
    g.begin.push_back(n);
    for (std::size_t r = 0; r < n; ++r) g.rows[offset[b.user[r]]++] = static_cast<std::uint32_t>(r);
  } else {  // few rows, many users: sorting rows is cheaper than a histogram over all users
    std::iota(g.rows.begin(), g.rows.end(), 0u);
    std::sort(g.rows.begin(), g.rows.end(), [&b](std::uint32_t x, std::uint32_t y) {
      return b.user[x] != b.user[y] ? b.user[x] < b.user[y] : x < y;
    });
    for (std::size_t k = 0; k < n; ++k) {
      if (k == 0 || b.user[g.rows[k]] != b.user[g.rows[k - 1]]) {
        g.users.push_back(b.user[g.rows[k]]);
        g.begin.push_back(k);
      }
    }
    g.begin.push_back(n);
  }
  return g;
}

}  // namespace

UserTable::UserTable() : impl_(new Impl) {}
UserTable::UserTable(const AggregateOptions& o) : impl_(new Impl) {
  if (o.session_gap_seconds < 0) throw UsageError("session gap must not be negative");
  impl_->options = o;
}
UserTable::~UserTable() = default;
UserTable::UserTable(UserTable&&) noexcept = default;
UserTable& UserTable::operator=(UserTable&&) noexcept = default;

std::size_t UserTable::users() const { return impl_->users.size(); }
void UserTable::ensure_users(std::size_t n) {
  if (impl_->users.size() < n) impl_->users.resize(n);
}
const AggregateOptions& UserTable::options() const { return impl_->options; }
UserTable::Impl& UserTable::impl() { return *impl_; }
const UserTable::Impl& UserTable::impl() const { return *impl_; }

void UserTable::add(const EventBatch& batch) {
  check_batch(batch);
  if (batch.empty()) return;
  if (batch.size() > UINT32_MAX) throw RuntimeError("UserTable::add: batch over 2^32 rows");
  const std::uint32_t max_user = *std::max_element(batch.user.begin(), batch.user.end());
  auto& users = impl_->users;
  if (users.size() <= max_user) users.resize(static_cast<std::size_t>(max_user) + 1);
  const Grouped g = group_by_user(batch, max_user + 1);
  const AggregateOptions& opt = impl_->options;
  const std::int64_t count = static_cast<std::int64_t>(g.users.size());
  // Each user is folded by exactly one thread and the fold is order-independent, so the result
  // does not depend on the thread count or the schedule.
#pragma omp parallel for schedule(dynamic, 256) num_threads(thread_count(opt))
  for (std::int64_t i = 0; i < count; ++i) {
    agg::fold_rows(batch, g.rows.data() + g.begin[i], g.begin[i + 1] - g.begin[i], opt,
                   users[g.users[i]]);
  }
}

void UserTable::merge(const UserTable& other) {
  const AggregateOptions& a = impl_->options;
  const AggregateOptions& b = other.impl_->options;
  if (a.session_gap_seconds != b.session_gap_seconds || a.tz_offset_minutes != b.tz_offset_minutes) {
    throw UsageError("cannot merge user aggregates built with different options (session gap " +
                     std::to_string(a.session_gap_seconds) + " s vs " +
                     std::to_string(b.session_gap_seconds) + " s, tz offset " +
                     std::to_string(a.tz_offset_minutes) + " vs " +
                     std::to_string(b.tz_offset_minutes) + " min)");
  }
  auto& users = impl_->users;
  const auto& theirs = other.impl_->users;
  if (users.size() < theirs.size()) users.resize(theirs.size());
  const std::int64_t count = static_cast<std::int64_t>(theirs.size());
#pragma omp parallel for schedule(dynamic, 256) num_threads(thread_count(a))
  for (std::int64_t i = 0; i < count; ++i) {
    agg::merge_into(users[i], theirs[i], a.session_gap_seconds);
  }
}

UserTable aggregate_events(EventSource& source, const AggregateOptions& options) {
  UserTable table(options);
  EventBatch batch;
  while (source.next(batch)) table.add(batch);
  return table;
}

}  // namespace segmint
