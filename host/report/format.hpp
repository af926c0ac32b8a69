// Numbers formatted for people: thousands separators, percentages, values in their units.
#pragma once
#include <cstdint>
#include <string>

namespace segmint::report {

/// 1234567 -> "1,234,567"; negative numbers get a minus sign ("−1,234", U+2212).
std::string format_count(std::int64_t n);

/// x with `decimals` decimals and thousands separators: (13782.871, 2) -> "13,782.87".
std::string format_decimal(double x, int decimals);

/// A share in [0, 1] as a percentage with one decimal: 0.147 -> "14.7%", 0.14 -> "14.0%";
/// below 1% two decimals ("0.35%"); 0 -> "0%", 1 -> "100%".
std::string format_percent(double share);

/// A value for reading, not for computing: two significant decimals at most below 10, one
/// below 100, none from 100 on ("6.9", "13,783", "0.42", "−932").
std::string format_amount(double x);

/// A value in its feature unit (as the feature catalog spells it): "days" -> "6.9 days",
/// "minutes" -> "9.5 min", "ratio" -> "22%", "currency" -> "13,783", "count" -> "4.1";
/// unknown units give format_amount(x).
std::string format_in_unit(double x, const std::string& unit);

}  // namespace segmint::report
