// Event type names, stable id keys, and EventBatch column operations.
#include "segmint/events.hpp"

#include <cstring>

namespace segmint {
namespace {
constexpr const char* kTypeNames[kEventTypeCount] = {
    "view", "cart", "remove_from_cart", "purchase", "cancel",
    "email_send", "email_open", "email_click", "other"};
}  // namespace

const char* to_string(EventType type) noexcept {
  auto i = static_cast<unsigned>(type);
  return i < static_cast<unsigned>(kEventTypeCount) ? kTypeNames[i] : "other";
}

std::optional<EventType> parse_event_type(std::string_view name) noexcept {
  for (int i = 0; i < kEventTypeCount; ++i) {
    if (name == kTypeNames[i]) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

std::uint64_t key_of(std::string_view id) noexcept {
  if (id.empty()) return kNoKey;
  // FNV-1a 64 followed by a murmur3 finaliser: stable, fast, well mixed.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h == kNoKey ? 1 : h;
}

void EventBatch::clear() noexcept {
  user.clear();
  time.clear();
  type.clear();
  amount.clear();
  item.clear();
  category.clear();
  session.clear();
  order.clear();
}

void EventBatch::reserve(std::size_t n) {
  user.reserve(n);
  time.reserve(n);
  type.reserve(n);
  amount.reserve(n);
  item.reserve(n);
  category.reserve(n);
  session.reserve(n);
  order.reserve(n);
}

void EventBatch::push_back(std::uint32_t user_index, std::int64_t t, EventType ty, double amt,
                           std::uint64_t item_key, std::uint64_t category_key,
                           std::uint64_t session_key, std::uint64_t order_key) {
  user.push_back(user_index);
  time.push_back(t);
  type.push_back(ty);
  amount.push_back(amt);
  item.push_back(item_key);
  category.push_back(category_key);
  session.push_back(session_key);
  order.push_back(order_key);
}

void EventBatch::append(const EventBatch& o) {
  user.insert(user.end(), o.user.begin(), o.user.end());
  time.insert(time.end(), o.time.begin(), o.time.end());
  type.insert(type.end(), o.type.begin(), o.type.end());
  amount.insert(amount.end(), o.amount.begin(), o.amount.end());
  item.insert(item.end(), o.item.begin(), o.item.end());
  category.insert(category.end(), o.category.begin(), o.category.end());
  session.insert(session.end(), o.session.begin(), o.session.end());
  order.insert(order.end(), o.order.begin(), o.order.end());
}

}  // namespace segmint
