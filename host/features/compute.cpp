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

FeatureMatrix compute_features(const UserTable& table, const FeatureOptions& options,
                               std::int64_t* as_of_used) {
  // Plain variables, not a structured binding: clang cannot capture one in the OpenMP region.
  const auto range = table.event_time_range();
  std::int64_t first = range.first;
  const std::int64_t last = range.second;
  const std::int64_t as_of = options.as_of ? *options.as_of : (last == detail::kNoLastTime ? 0 : last);
  if (first == detail::kNoTime) first = as_of;
  if (as_of_used) *as_of_used = as_of;

  // The raw matrix is allocated beside the table; later stages hold it, a scaled copy and
  // k-means' per-row arrays (labels, distances: 16 B a row) once the table is gone.
  const std::size_t users = table.users();
  const std::size_t matrix = users * detail::kFeatureCount * sizeof(float);
  require_memory(table.options().memory_budget,
                 std::max(table.memory_bytes() + matrix, 2 * matrix + 16 * users),
                 "the feature matrix of " + std::to_string(users) + " users");
  FeatureMatrix m;
  m.rows = table.users();
  m.cols = detail::kFeatureCount;
  m.values.assign(m.rows * m.cols, 0.f);
  for (const auto& f : feature_catalog()) m.names.push_back(f.name);
  const std::int64_t n = static_cast<std::int64_t>(m.rows);
  const int threads = table.options().threads > 0 ? table.options().threads : omp_get_max_threads();
  // Rows are independent and each is computed by one thread from exact integers: the matrix is
  // bit-identical for any thread count.
  std::int64_t saturated = 0;
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(dynamic, 1024) num_threads(threads) reduction(+ : saturated)
  for (std::int64_t i = 0; i < n; ++i) {
    const detail::UserSummary s = table.summary(static_cast<std::size_t>(i));
    saturated += detail::money_saturated(s.money_purchase_micro) ||
                 detail::money_saturated(s.money_cancel_micro) ||
                 detail::money_saturated(
                     detail::add_saturating(s.money_purchase_micro, -s.money_cancel_micro));
    detail::compute_feature_row(s, as_of, first, m.values.data() + i * m.cols);
  }
  if (saturated > 0) {
    log_warn(std::to_string(saturated) + " user(s) have money sums beyond +-9.2e12; their "
             "monetary and avg_order_value are capped there (saturated, not wrapped): check the "
             "amount columns");
  }
  return m;
}

}  // namespace segmint
