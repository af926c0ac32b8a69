// Canonical event types and the columnar EventBatch that ingest produces and aggregate consumes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace segmint {

/// Canonical event types. Values are stable: they are stored in the binary event store.
enum class EventType : std::uint8_t {
  view = 0,
  cart = 1,
  remove_from_cart = 2,
  purchase = 3,
  cancel = 4,
  email_send = 5,
  email_open = 6,
  email_click = 7,
  other = 8,
};
inline constexpr int kEventTypeCount = 9;

/// Canonical name ("view", "cart", ...).
const char* to_string(EventType type) noexcept;
/// Parses a canonical name exactly; nullopt when it is not one.
std::optional<EventType> parse_event_type(std::string_view name) noexcept;

/// Event times segmint accepts, in unix seconds: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
/// Every reader enforces it (CSV timestamps, the event store, saved aggregates, --as-of), so
/// differences and sums of times in the feature formulas cannot overflow.
inline constexpr std::int64_t kMinEventTime = -62167219200;
inline constexpr std::int64_t kMaxEventTime = 253402300799;
/// True when `t` is within [kMinEventTime, kMaxEventTime].
constexpr bool valid_event_time(std::int64_t t) noexcept {
  return t >= kMinEventTime && t <= kMaxEventTime;
}

/// Key value meaning "absent" for item/category/session/order keys.
inline constexpr std::uint64_t kNoKey = 0;

/// Stable 64-bit key of an id string (items, categories, sessions, orders). Never returns kNoKey
/// for a non-empty string; kNoKey for an empty one. Stable across runs, files and machines, so
/// aggregates persisted tonight merge with tomorrow's.
std::uint64_t key_of(std::string_view id) noexcept;

/// A batch of events, struct-of-arrays; every column has size() entries.
/// Times are unix seconds, UTC. Amount is the signed money value of the event (purchase lines:
/// quantity x price; cancellations negative or positive as the source gives them; 0 when none).
struct EventBatch {
  std::vector<std::uint32_t> user;      ///< dense user index (UserDictionary)
  std::vector<std::int64_t> time;       ///< unix seconds UTC
  std::vector<EventType> type;          ///< canonical type
  std::vector<double> amount;           ///< money; 0 when the source has none
  std::vector<std::uint64_t> item;      ///< key_of(item id) or kNoKey
  std::vector<std::uint64_t> category;  ///< key_of(category id) or kNoKey
  std::vector<std::uint64_t> session;   ///< key_of(session id) or kNoKey
  std::vector<std::uint64_t> order;     ///< key_of(order/invoice id) or kNoKey

  std::size_t size() const noexcept { return user.size(); }
  bool empty() const noexcept { return user.empty(); }
  void clear() noexcept;
  void reserve(std::size_t n);
  void push_back(std::uint32_t user_index, std::int64_t t, EventType ty, double amt,
                 std::uint64_t item_key, std::uint64_t category_key, std::uint64_t session_key,
                 std::uint64_t order_key);
  /// Appends all rows of `other`.
  void append(const EventBatch& other);
  /// Approximate bytes held per event (for memory budgets).
  static constexpr std::size_t kBytesPerEvent = 4 + 8 + 1 + 8 + 4 * 8;
};

}  // namespace segmint
