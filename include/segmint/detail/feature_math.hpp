// Per-user feature formulas written once for both backends: a user's exact integer summary in,
// one row of raw features (original units, catalog order) out.
#pragma once
#include <cmath>
#include <cstdint>

#include "segmint/detail/hd.hpp"

namespace segmint::detail {

/// Number of raw features; the column order is feature_catalog()'s and the order of kCol* below.
inline constexpr int kFeatureCount = 27;

enum FeatureColumn : int {
  kColRecencyDays, kColFrequency, kColMonetary, kColAvgOrderValue,
  kColTenureDays, kColDaysSinceLastEvent, kColActiveDays, kColMeanDaysBetweenOrders,
  kColViews, kColCarts, kColPurchases, kColViewToCartRate, kColCartToPurchaseRate,
  kColCartAbandonmentRate, kColCancellationRate,
  kColSessions, kColEventsPerSession, kColAvgSessionMinutes,
  kColWeekendShare, kColNightShare, kColMorningShare, kColAfternoonShare, kColEveningShare,
  kColDistinctCategories, kColCategoryEntropy,
  kColEmailOpenRate, kColEmailClickRate,
};

inline constexpr std::int64_t kNoTime = INT64_MAX;  ///< "never" for first-time fields
inline constexpr std::int64_t kNoLastTime = INT64_MIN;  ///< "never" for last-time fields
inline constexpr double kMoneyScale = 1e6;  ///< money is summed as int64 micro-units (exact)
/// Largest |amount| of one event that ingest accepts (beyond it a row is bad): 9e18 micro-units.
inline constexpr double kMaxAmount = 9.0e12;
/// Where money sums saturate: |sum| never exceeds it, and reaching it means "at least this".
inline constexpr std::int64_t kMoneySaturated = INT64_MAX;
inline constexpr double kSecondsPerDay = 86400.0;

/// Everything the formulas need about one user, all exact (integers), so that any split of the
/// input gives the same summary and therefore bit-identical features.
struct UserSummary {
  std::uint64_t views, carts, purchases, cancels;
  std::uint64_t email_sends, email_opens, email_clicks;
  std::uint64_t activity;                 ///< events other than email_send
  std::uint64_t weekend, night, morning, afternoon, evening;  ///< activity events by local time
  std::int64_t money_purchase_micro;      ///< sum of purchase amounts
  std::int64_t money_cancel_micro;        ///< sum of |cancel amounts|
  std::int64_t first_event, last_event;   ///< all events; kNoTime / kNoLastTime when none
  std::int64_t last_purchase;             ///< kNoLastTime when none
  std::uint64_t orders;                   ///< distinct non-cancelled orders (see aggregate)
  std::int64_t first_order, last_order;   ///< order times (first purchase of each order)
  std::uint64_t active_days;
  std::uint64_t sessions;
  std::int64_t session_seconds;           ///< sum over sessions of (last - first event)
  std::uint64_t open_carts;               ///< carts later than the last purchase
  std::uint64_t distinct_categories;
  double category_entropy;                ///< nats, from category_entropy()
};

/// Money of one event as exact micro-units: non-finite amounts count as 0, huge ones saturate.
/// Shared by both backends' aggregation so that money sums agree to the micro-unit.
SEGMINT_HD std::int64_t money_micro(double amount) {
  if (!std::isfinite(amount)) return 0;
  const double m = std::nearbyint(amount * kMoneyScale);
  constexpr double kLimit = 9.0e18;
  if (m > kLimit) return static_cast<std::int64_t>(kLimit);
  if (m < -kLimit) return -static_cast<std::int64_t>(kLimit);
  return static_cast<std::int64_t>(m);
}

/// a + b clamped to [-INT64_MAX, INT64_MAX]: money sums and session seconds saturate instead of
/// wrapping around (a sign flip would be a wrong number; compute_features warns about them).
SEGMINT_HD std::int64_t add_saturating(std::int64_t a, std::int64_t b) {
  if (b > 0 && a > INT64_MAX - b) return INT64_MAX;
  if (b < 0 && a < -INT64_MAX - b) return -INT64_MAX;
  return a + b;
}
/// True for a money sum that hit kMoneySaturated (in either direction).
SEGMINT_HD bool money_saturated(std::int64_t micro) {
  return micro >= kMoneySaturated || micro <= -kMoneySaturated;
}

SEGMINT_HD double safe_ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

/// Day number of a unix time shifted by the time-zone offset (floor division, so times before
/// 1970 land on the right day too).
SEGMINT_HD std::int64_t local_day(std::int64_t t, std::int64_t tz_offset_seconds) {
  std::int64_t s = t + tz_offset_seconds;
  std::int64_t d = s / 86400;
  return (s % 86400 < 0) ? d - 1 : d;
}
/// Seconds since local midnight.
SEGMINT_HD std::int64_t local_second_of_day(std::int64_t t, std::int64_t tz_offset_seconds) {
  std::int64_t s = (t + tz_offset_seconds) % 86400;
  return s < 0 ? s + 86400 : s;
}
/// Day part: 0 night [00,06), 1 morning [06,12), 2 afternoon [12,18), 3 evening [18,24).
SEGMINT_HD int day_part(std::int64_t t, std::int64_t tz_offset_seconds) {
  return static_cast<int>(local_second_of_day(t, tz_offset_seconds) / (6 * 3600));
}
/// Saturday or Sunday in local time (1970-01-01, day 0, was a Thursday).
SEGMINT_HD bool is_weekend(std::int64_t t, std::int64_t tz_offset_seconds) {
  std::int64_t wd = (local_day(t, tz_offset_seconds) + 4) % 7;  // 0 = Sunday
  if (wd < 0) wd += 7;
  return wd == 0 || wd == 6;
}

/// One term of the entropy sum: callers add c*ln(c) over categories in key order, then call
/// category_entropy(total, sum). H = ln N - (1/N) sum c ln c (natural log, nats).
SEGMINT_HD double entropy_term(std::uint64_t count) {
  double c = static_cast<double>(count);
  return c > 0 ? c * std::log(c) : 0.0;
}
SEGMINT_HD double category_entropy(std::uint64_t total, double sum_c_ln_c) {
  if (total == 0) return 0.0;
  double n = static_cast<double>(total);
  double h = std::log(n) - sum_c_ln_c / n;
  return h > 0 ? h : 0.0;  // rounding can give -1e-16 for one category
}

/// Fills out[kFeatureCount] for one user. `data_first_event` is the earliest event of the whole
/// data set (recency of users who never purchased).
SEGMINT_HD void compute_feature_row(const UserSummary& u, std::int64_t as_of,
                                    std::int64_t data_first_event, float* out) {
  const double day = kSecondsPerDay;
  double monetary =
      static_cast<double>(add_saturating(u.money_purchase_micro, -u.money_cancel_micro)) /
      kMoneyScale;
  double orders = static_cast<double>(u.orders);
  std::int64_t recency_from = u.last_purchase != kNoLastTime ? u.last_purchase : data_first_event;
  out[kColRecencyDays] = static_cast<float>(static_cast<double>(as_of - recency_from) / day);
  out[kColFrequency] = static_cast<float>(orders);
  out[kColMonetary] = static_cast<float>(monetary);
  out[kColAvgOrderValue] = static_cast<float>(safe_ratio(monetary, orders));

  bool any = u.first_event != kNoTime;
  out[kColTenureDays] =
      any ? static_cast<float>(static_cast<double>(as_of - u.first_event) / day) : 0.f;
  out[kColDaysSinceLastEvent] =
      any ? static_cast<float>(static_cast<double>(as_of - u.last_event) / day) : 0.f;
  out[kColActiveDays] = static_cast<float>(u.active_days);
  out[kColMeanDaysBetweenOrders] =
      u.orders >= 2 ? static_cast<float>(static_cast<double>(u.last_order - u.first_order) / day /
                                         (orders - 1.0))
                    : 0.f;

  double views = static_cast<double>(u.views), carts = static_cast<double>(u.carts);
  double purchases = static_cast<double>(u.purchases), cancels = static_cast<double>(u.cancels);
  out[kColViews] = static_cast<float>(views);
  out[kColCarts] = static_cast<float>(carts);
  out[kColPurchases] = static_cast<float>(purchases);
  out[kColViewToCartRate] = static_cast<float>(safe_ratio(carts, views));
  out[kColCartToPurchaseRate] = static_cast<float>(safe_ratio(purchases, carts));
  out[kColCartAbandonmentRate] =
      static_cast<float>(safe_ratio(static_cast<double>(u.open_carts), carts));
  out[kColCancellationRate] = static_cast<float>(safe_ratio(cancels, purchases + cancels));

  double sessions = static_cast<double>(u.sessions), act = static_cast<double>(u.activity);
  out[kColSessions] = static_cast<float>(sessions);
  out[kColEventsPerSession] = static_cast<float>(safe_ratio(act, sessions));
  out[kColAvgSessionMinutes] =
      static_cast<float>(safe_ratio(static_cast<double>(u.session_seconds) / 60.0, sessions));

  out[kColWeekendShare] = static_cast<float>(safe_ratio(static_cast<double>(u.weekend), act));
  out[kColNightShare] = static_cast<float>(safe_ratio(static_cast<double>(u.night), act));
  out[kColMorningShare] = static_cast<float>(safe_ratio(static_cast<double>(u.morning), act));
  out[kColAfternoonShare] = static_cast<float>(safe_ratio(static_cast<double>(u.afternoon), act));
  out[kColEveningShare] = static_cast<float>(safe_ratio(static_cast<double>(u.evening), act));

  out[kColDistinctCategories] = static_cast<float>(u.distinct_categories);
  out[kColCategoryEntropy] = static_cast<float>(u.category_entropy);

  double sends = static_cast<double>(u.email_sends);
  out[kColEmailOpenRate] = static_cast<float>(safe_ratio(static_cast<double>(u.email_opens), sends));
  out[kColEmailClickRate] =
      static_cast<float>(safe_ratio(static_cast<double>(u.email_clicks), sends));
}

}  // namespace segmint::detail
