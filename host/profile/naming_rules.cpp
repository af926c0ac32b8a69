// The naming rule table: RFM vocabulary first, then behaviour, then habits (weight 0.5).
#include "profile/naming_rules.hpp"

namespace segmint::pipeline {
namespace {

// Aliases: the first one present in the profile is used.
const std::vector<const char*> kRecency = {"recency_days", "days_since_last_event"};
const std::vector<const char*> kInactive = {"days_since_last_event", "recency_days"};
const std::vector<const char*> kFrequency = {"frequency", "purchases"};
const std::vector<const char*> kPurchases = {"purchases", "frequency"};
const std::vector<const char*> kMonetary = {"monetary"};
const std::vector<const char*> kOrderValue = {"avg_order_value"};
const std::vector<const char*> kTenure = {"tenure_days"};
const std::vector<const char*> kViews = {"views"};

constexpr auto G = Term::guard;
constexpr auto O = Term::optional;

}  // namespace

const std::vector<Rule>& naming_rules() {
  // Recency conditions are on days since the last purchase, so "recent" is sign -1.
  static const std::vector<Rule> r = {
      {"Serial Returners",
       {{{"cancellation_rate"}, 1, 0.5}, {kMonetary, -1, 1e-9, G, TermKind::raw}},
       1.0,
       "Return more than they keep: their purchases net out below zero."},
      {"Champions",
       {{kRecency, -1, 0.5}, {kFrequency, 1, 0.5}, {kMonetary, 1, 0.5, O}},
       1.0,
       "Bought recently, buy often and spend the most."},
      {"Loyal",
       {{kFrequency, 1, 0.5}, {kTenure, 1, 0.3, O}, {kRecency, -1, -0.5, G}},
       1.0,
       "Buy often and have been customers for a long time."},
      {"Can't Lose Them",
       {{kRecency, 1, 0.8}, {kFrequency, 1, 0.8}, {kMonetary, 1, 0.8, O}},
       1.0,
       "Bought often and spent a lot, but not for a long time."},
      {"At Risk",
       {{kRecency, 1, 0.5}, {kFrequency, 1, 0.3}},
       1.0,
       "Used to buy often, but their last purchase is long ago."},
      {"Potential Loyalists",
       {{kRecency, -1, 0.5}, {kFrequency, 1, 0.2}, {kFrequency, -1, -0.5, G}},
       1.0,
       "Bought recently and more than once: could become loyal."},
      {"New", {{kTenure, -1, 0.8}, {kRecency, -1, -0.5, G}}, 1.0, "First seen only recently."},
      {"Promising",
       {{kRecency, -1, 0.3}, {kFrequency, -1, 0.0, G}, {kMonetary, -1, 0.0, G}},
       1.0,
       "Bought recently, but not much yet."},
      {"Need Attention",
       {{kFrequency, 1, 0.1},
        {kMonetary, 1, 0.1, O},
        {kFrequency, -1, -1.0, G},
        {kMonetary, -1, -1.0, G},
        {kRecency, 1, -0.5, G},
        {kRecency, -1, -0.5, G}},
       1.0,
       "A little above average on orders and spend, but not buying especially recently."},
      {"Lost",
       {{kInactive, 1, 1.2}, {kFrequency, -1, 0.3}, {kMonetary, -1, 0.3, O}},
       1.0,
       "Gone quiet long ago after buying little: the least active customers."},
      {"Hibernating",
       {{kInactive, 1, 0.8}, {kFrequency, -1, 0.0}, {kMonetary, -1, 0.0, O}},
       1.0,
       "Not seen for a long time, and bought little when they were."},
      {"About to Sleep",
       {{kInactive, 1, 0.3},
        {kInactive, -1, -0.8, G},
        {kFrequency, -1, 0.0, G},
        {kMonetary, -1, 0.0, G}},
       1.0,
       "Less active lately and buying below average: will lapse without a nudge."},
      // Big Spenders buy big but not often (frequent big buyers are Champions or Loyal).
      {"Big Spenders",
       {{kOrderValue, 1, 0.8}, {kMonetary, 1, 0.0, G}, {kFrequency, -1, -0.5, G}},
       1.0,
       "Place few but large orders."},
      {"Cart Abandoners",
       {{{"cart_abandonment_rate"}, 1, 0.8}},
       1.0,
       "Put items in the cart and leave without buying them."},
      // Buying is rare on many sites, so "hardly buys" is also judged against the population.
      {"Window Shoppers",
       {{kViews, 1, 0.5}, {kPurchases, -1, 0.2, G}, {kPurchases, -1, -0.5, G, TermKind::share}},
       1.0,
       "View many products but hardly ever buy."},
      {"Casual Browsers",
       {{kViews, -1, 0.3}, {kPurchases, -1, 0.0, G}},
       1.0,
       "Drop by briefly, look at a few products and rarely buy."},
      {"Bargain Hunters",
       {{kOrderValue, -1, 0.8}, {kFrequency, 1, 0.3}},
       1.0,
       "Buy often, in small amounts."},
      {"Frequent Returners",
       {{{"cancellation_rate"}, 1, 1.0}, {kMonetary, 1, 0.0, G, TermKind::raw}},
       1.0,
       "Cancel or return an unusually large share of their orders."},
      {"Occasional Buyers",
       {{kFrequency, -1, 0.5}, {kMonetary, -1, 0.5}, {kInactive, -1, -0.8, G}},
       1.0,
       "Buy rarely and spend little, but are still around."},
      {"Night Owls", {{{"night_share"}, 1, 1.0}}, 0.5, "Shop mostly between midnight and 6 am."},
      {"Weekend Shoppers", {{{"weekend_share"}, 1, 1.0}}, 0.5, "Shop mostly on weekends."},
      {"Early Birds", {{{"morning_share"}, 1, 1.0}}, 0.5, "Shop mostly in the morning."},
      {"Evening Shoppers", {{{"evening_share"}, 1, 1.0}}, 0.5, "Shop mostly in the evening."},
      {"Big Baskets",
       {{{"events_per_session"}, 1, 0.8}, {kPurchases, 1, 0.0, G}},
       0.5,
       "Do a lot in each visit, and buy."},
      {"Periodic Buyers",
       {{{"mean_days_between_orders"}, 1, 1.5}},
       0.5,
       "Come back to buy at long, regular intervals."},
      {"Email Engaged",
       {{{"email_click_rate", "email_open_rate"}, 1, 1.0}},
       0.5,
       "Open and click the e-mails they receive."},
      // Explorers buy across many categories; browsing widely without buying is window shopping.
      {"Explorers",
       {{{"distinct_categories", "category_entropy"}, 1, 1.0}, {kPurchases, 1, -0.3, G}},
       0.5,
       "Buy across many different categories."},
  };
  return r;
}

}  // namespace segmint::pipeline
