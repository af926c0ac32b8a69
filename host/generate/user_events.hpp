// One synthetic user: archetype and time-ordered sessions of events, drawn from the user's own
// random stream so the result depends only on (seed, user index).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "segmint/events.hpp"

namespace segmint::gen {

/// The generated time window [start, start + days * 86400).
struct Window {
  std::int64_t start = 0;  ///< unix seconds, a UTC midnight
  int days = 30;
  std::int64_t end() const { return start + static_cast<std::int64_t>(days) * 86400; }
};

struct GenEvent {
  std::int64_t time;
  std::uint32_t product;  ///< Catalog product number
  std::uint32_t session;  ///< index into the user's session ids
  EventType type;
};

struct GenUser {
  int archetype = 0;
  std::vector<GenEvent> events;                         ///< sorted by time
  std::vector<std::array<std::uint64_t, 2>> sessions;  ///< 128-bit session ids (UUID bits)
};

/// Fills `user` (cleared first) with user `index` of data set `seed`.
void generate_user(std::uint64_t seed, std::uint64_t index, const Window& window, GenUser& user);

}  // namespace segmint::gen
