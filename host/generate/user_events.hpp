// One synthetic user: archetype and time-ordered sessions of events, drawn from the user's own
// random stream so the result depends only on (seed, user index) and the messiness options.
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

/// How far the users stray from the planted archetypes (datasets/README.md, "Harder data").
/// All zero (the default) gives exactly the clean data of earlier versions: the extra draws come
/// from a second per-user stream that is only read when an option is set.
struct Messiness {
  double jitter = 0;          ///< sigma of a per-user log-normal factor on every behavioural rate
  double untyped_share = 0;   ///< chance a user belongs to no archetype (habits mixed field-wise)
  double heavy_share = 0;     ///< chance a user is heavy (bot, reseller)
  double heavy_factor = 100;  ///< how many times their archetype's sessions a heavy user has
  bool any() const { return jitter > 0 || untyped_share > 0 || heavy_share > 0; }
};

/// GenUser::archetype of a user of no archetype (truth.csv: `none`).
inline constexpr int kNoArchetype = -1;

struct GenEvent {
  std::int64_t time;
  std::uint32_t product;  ///< Catalog product number
  std::uint32_t session;  ///< index into the user's session ids
  EventType type;
};

struct GenUser {
  int archetype = 0;   ///< index into archetypes(), or kNoArchetype
  bool heavy = false;  ///< many times the activity of the archetype (Messiness::heavy_factor)
  std::vector<GenEvent> events;                         ///< sorted by time
  std::vector<std::array<std::uint64_t, 2>> sessions;  ///< 128-bit session ids (UUID bits)
};

/// Fills `user` (cleared first) with user `index` of data set `seed`.
void generate_user(std::uint64_t seed, std::uint64_t index, const Window& window, GenUser& user,
                   const Messiness& messy = {});

}  // namespace segmint::gen
