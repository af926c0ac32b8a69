// The feature catalog and compute_features: UserTable -> raw feature matrix (original units).
#include <omp.h>

#include <algorithm>

#include "common/log.hpp"
#include "common/memory_budget.hpp"
#include "segmint/detail/feature_math.hpp"
#include "segmint/features.hpp"

namespace segmint {

const std::vector<FeatureInfo>& feature_catalog() {
  // Order = detail::FeatureColumn. log1p marks counts and money (heavy-tailed); volume marks the
  // columns that grow with the amount of activity (heavy users are assigned without them).
  static const std::vector<FeatureInfo> catalog = {
      {"recency_days", "days", "rfm", false, false},
      {"frequency", "count", "rfm", true, true},
      {"monetary", "currency", "rfm", true, true},
      {"avg_order_value", "currency", "rfm", true, false},
      {"tenure_days", "days", "lifecycle", false, false},
      {"days_since_last_event", "days", "lifecycle", false, false},
      {"active_days", "count", "lifecycle", true, true},
      {"mean_days_between_orders", "days", "lifecycle", false, false},
      {"views", "count", "funnel", true, true},
      {"carts", "count", "funnel", true, true},
      {"purchases", "count", "funnel", true, true},
      {"view_to_cart_rate", "ratio", "funnel", false, false},
      {"cart_to_purchase_rate", "ratio", "funnel", false, false},
      {"cart_abandonment_rate", "ratio", "funnel", false, false},
      {"cancellation_rate", "ratio", "funnel", false, false},
      {"sessions", "count", "sessions", true, true},
      {"events_per_session", "events/session", "sessions", true, false},
      {"avg_session_minutes", "minutes", "sessions", false, false},
      {"weekend_share", "ratio", "habits", false, false},
      {"night_share", "ratio", "habits", false, false},
      {"morning_share", "ratio", "habits", false, false},
      {"afternoon_share", "ratio", "habits", false, false},
      {"evening_share", "ratio", "habits", false, false},
      {"distinct_categories", "count", "breadth", true, true},
      {"category_entropy", "nats", "breadth", false, false},
      {"email_open_rate", "ratio", "campaign", false, false},
      {"email_click_rate", "ratio", "campaign", false, false},
  };
  static_assert(detail::kFeatureCount == 27, "catalog and feature_math.hpp disagree");
  return catalog;
}

const FeatureInfo* find_feature(const std::string& name) {
  for (const auto& f : feature_catalog()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

namespace {

// The time frame of the rows: as_of (given, else the latest event) and the earliest event.
struct Frame {
  std::int64_t as_of, first;
};

Frame frame_of(const UserTable& table, const FeatureOptions& options, std::int64_t* as_of_used) {
  const auto range = table.event_time_range();
  Frame f{options.as_of ? *options.as_of
                        : (range.second == detail::kNoLastTime ? 0 : range.second),
          range.first};
  if (f.first == detail::kNoTime) f.first = f.as_of;
  if (as_of_used) *as_of_used = f.as_of;
  return f;
}

FeatureMatrix empty_matrix(std::size_t rows) {
  FeatureMatrix m;
  m.rows = rows;
  m.cols = detail::kFeatureCount;
  for (const auto& f : feature_catalog()) m.names.push_back(f.name);
  return m;
}

// Rows [lo, hi) of `m` (allocated); returns how many of them have saturated money sums. Rows are
// independent and each is computed by one thread from exact integers: the matrix is
// bit-identical for any thread count.
std::int64_t compute_rows(const UserTable& table, Frame f, std::size_t lo, std::size_t hi,
                          FeatureMatrix& m) {
  const int threads = table.options().threads > 0 ? table.options().threads : omp_get_max_threads();
  const std::int64_t first = f.first, as_of = f.as_of;  // plain variables for the OpenMP region
  const std::int64_t a = static_cast<std::int64_t>(lo), z = static_cast<std::int64_t>(hi);
  float* values = m.values.data();
  const std::size_t cols = m.cols;
  std::int64_t saturated = 0;
  // omp: cannot throw (arithmetic on preallocated arrays; rows not released): no OmpGuard needed.
#pragma omp parallel for schedule(dynamic, 1024) num_threads(threads) reduction(+ : saturated)
  for (std::int64_t i = a; i < z; ++i) {
    const detail::UserSummary s = table.summary(static_cast<std::size_t>(i));
    saturated += detail::money_saturated(s.money_purchase_micro) ||
                 detail::money_saturated(s.money_cancel_micro) ||
                 detail::money_saturated(
                     detail::add_saturating(s.money_purchase_micro, -s.money_cancel_micro));
    detail::compute_feature_row(s, as_of, first, values + static_cast<std::size_t>(i) * cols);
  }
  return saturated;
}

void warn_saturated(std::int64_t saturated) {
  if (saturated > 0) {
    log_warn(std::to_string(saturated) + " user(s) have money sums beyond +-9.2e12; their "
             "monetary and avg_order_value are capped there (saturated, not wrapped): check the "
             "amount columns");
  }
}

// Later stages hold the raw matrix, a scaled copy and k-means' per-row arrays (labels,
// distances: 16 B a row) once the table is gone.
std::size_t after_table_bytes(std::size_t users) {
  return 2 * users * detail::kFeatureCount * sizeof(float) + 16 * users;
}

}  // namespace

FeatureMatrix compute_features(const UserTable& table, const FeatureOptions& options,
                               std::int64_t* as_of_used) {
  const Frame f = frame_of(table, options, as_of_used);
  // The raw matrix is allocated beside the table.
  const std::size_t users = table.users();
  const std::size_t matrix = users * detail::kFeatureCount * sizeof(float);
  require_memory(table.options().memory_budget,
                 std::max(table.memory_bytes() + matrix, after_table_bytes(users)),
                 "the feature matrix of " + std::to_string(users) + " users");
  FeatureMatrix m = empty_matrix(users);
  m.values.assign(m.rows * m.cols, 0.f);
  warn_saturated(compute_rows(table, f, 0, users, m));
  return m;
}

FeatureMatrix compute_features(UserTable&& table, const FeatureOptions& options,
                               std::int64_t* as_of_used) {
  const Frame f = frame_of(table, options, as_of_used);
  // The matrix grows a slice of rows at a time (reserved pages are not touched until written)
  // while the slice's aggregates are freed: the stage needs about the larger of the two.
  const std::size_t users = table.users();
  require_memory(table.options().memory_budget,
                 std::max(table.memory_bytes(), after_table_bytes(users)),
                 "the feature matrix of " + std::to_string(users) + " users");
  FeatureMatrix m = empty_matrix(users);
  m.values.reserve(m.rows * m.cols);
  constexpr std::size_t kSlice = 16384;  // users per slice (1.7 MB of rows)
  std::int64_t saturated = 0;
  for (std::size_t lo = 0; lo < users; lo += kSlice) {
    const std::size_t hi = std::min(users, lo + kSlice);
    m.values.resize(hi * m.cols);
    saturated += compute_rows(table, f, lo, hi, m);
    table.release_users_before(hi);
  }
  UserTable gone = std::move(table);  // the rest of the table (slots) goes with this call
  warn_saturated(saturated);
  return m;
}

}  // namespace segmint
