// Words for people: readable feature labels and the key values a segment card shows.
#pragma once
#include <string>
#include <vector>

namespace segmint::report {

/// "recency_days" -> "Days since last purchase"; a name segmint does not know is shown with
/// '_' as spaces ("basket_size" -> "basket size").
std::string feature_label(const std::string& name);

/// Features a segment card always shows when present (recency, orders, spend, ...), in order.
const std::vector<std::string>& key_features();

/// A phrase for a trait: ("frequency", +1.4) -> "many more orders than average"; the size of
/// the difference is said in words (slightly / clearly / far).
std::string trait_phrase(const std::string& name, double z);

}  // namespace segmint::report
