// Feature labels and trait phrases for the report.
#include "report/labels.hpp"

#include <cmath>
#include <map>

namespace segmint::report {
namespace {

const std::map<std::string, std::string>& labels() {
  static const std::map<std::string, std::string> m = {
      {"recency_days", "Days since last purchase"},
      {"frequency", "Orders"},
      {"monetary", "Net spend"},
      {"avg_order_value", "Average order value"},
      {"tenure_days", "Days since first seen"},
      {"days_since_last_event", "Days since last seen"},
      {"active_days", "Active days"},
      {"mean_days_between_orders", "Days between orders"},
      {"views", "Product views"},
      {"carts", "Add-to-carts"},
      {"purchases", "Purchased items"},
      {"view_to_cart_rate", "Views that led to a cart"},
      {"cart_to_purchase_rate", "Carts that led to a purchase"},
      {"cart_abandonment_rate", "Carts abandoned"},
      {"cancellation_rate", "Purchases cancelled"},
      {"sessions", "Visits"},
      {"events_per_session", "Actions per visit"},
      {"avg_session_minutes", "Minutes per visit"},
      {"weekend_share", "Activity at weekends"},
      {"night_share", "Activity at night (0-6 h)"},
      {"morning_share", "Activity in the morning"},
      {"afternoon_share", "Activity in the afternoon"},
      {"evening_share", "Activity in the evening"},
      {"distinct_categories", "Categories visited"},
      {"category_entropy", "Spread over categories"},
      {"email_open_rate", "E-mails opened"},
      {"email_click_rate", "E-mails clicked"},
  };
  return m;
}

}  // namespace

std::string feature_label(const std::string& name) {
  auto it = labels().find(name);
  if (it != labels().end()) return it->second;
  std::string out = name;
  for (char& c : out) c = c == '_' ? ' ' : c;
  return out;
}

const std::vector<std::string>& key_features() {
  static const std::vector<std::string> k = {"recency_days",    "frequency",   "monetary",
                                             "avg_order_value", "tenure_days", "views"};
  return k;
}

std::string trait_phrase(const std::string& name, double z) {
  const double a = std::fabs(z);
  const char* how = a >= 2 ? "far " : a >= 1 ? "clearly " : "slightly ";
  std::string label = feature_label(name);
  if (!label.empty())
    label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
  return label + " " + how + (z > 0 ? "above" : "below") + " average";
}

}  // namespace segmint::report
