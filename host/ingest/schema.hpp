// Schema presets (rees46, online-retail, taobao, retailrocket), auto-detection from the header,
// and explicit column/type mappings, compiled into a Plan the row parser follows.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "segmint/events.hpp"
#include "segmint/ingest.hpp"

namespace segmint::ingest {

/// How the amount of an event is derived, from the columns a plan has.
enum class AmountRule : std::uint8_t {
  none,                  ///< no money columns: 0
  column,                ///< an amount column, as given
  quantity_times_price,  ///< quantity x price (Online Retail lines)
  price_on_purchase,     ///< price for purchase events, 0 otherwise (REES46)
};

/// Column indices (-1 = absent) and rules for one file.
struct Plan {
  std::string schema;               ///< preset name or "custom"
  bool has_header = true;           ///< false: the first line is data (headerless Taobao)
  std::vector<std::string> columns; ///< header names (or positional names when headerless)
  int user = -1, time = -1, type = -1, amount = -1, quantity = -1, price = -1;
  int item = -1, category = -1, session = -1, order = -1;
  AmountRule amount_rule = AmountRule::none;
  /// Raw type value -> canonical type; values not listed (nor canonical names) map to other.
  std::vector<std::pair<std::string, EventType>> types;
  bool cancel_prefix_order = false;  ///< order ids starting with 'C' are cancellations
  bool strip_dot_zero_user = false;  ///< "13085.0" -> "13085" (spreadsheet exports)

  /// Rows may omit trailing fields (read as empty: some exporters drop trailing empty cells,
  /// and a file cut short loses its tail) but never a column the values need: user, time,
  /// type and the amount rule's columns. min_fields is 1 + the highest such index.
  std::size_t min_fields = 0;

  std::size_t ncols() const noexcept { return columns.size(); }
  /// Canonical type of a raw value (no type column: purchase).
  EventType map_type(std::string_view raw) const noexcept;
};

/// Builds the plan for a file whose first record is `first`. Throws InputError
/// ("FILE:1: ...") for an undetectable schema or a missing column, UsageError for a bad mapping.
Plan make_plan(const std::vector<std::string>& first, const IngestOptions& options,
               const std::string& file);

/// Parses "raw=canonical" pairs' canonical names; throws UsageError for an unknown name.
EventType canonical_type_or_throw(const std::string& name);

}  // namespace segmint::ingest
