// Formatting generated events as REES46 CSV rows, by copying preformatted pieces: dates of the
// window, two-digit clock fields, each product's fields (catalog) and each session's UUID.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "generate/user_events.hpp"

namespace segmint::gen {

inline constexpr const char* kEventsHeader =
    "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";

/// "YYYY-MM-DD" of a unix day number (days since 1970-01-01), proleptic Gregorian.
std::string civil_date(std::int64_t day);
/// Unix day number of a date; false when `text` is not a valid YYYY-MM-DD.
bool parse_civil_date(const std::string& text, std::int64_t& day);

class RowFormatter {
 public:
  explicit RowFormatter(const Window& window);
  /// Appends one row per event of `user` (whose id is `user_id`) to `out`.
  void append(std::string& out, const GenUser& user, const std::string& user_id) const;
  /// "YYYY-MM-DD HH:MM:SS UTC" of a time inside the window.
  void append_time(std::string& out, std::int64_t t) const;

 private:
  Window window_;
  std::vector<std::string> dates_;  ///< "YYYY-MM-DD " per day of the window
};

}  // namespace segmint::gen
