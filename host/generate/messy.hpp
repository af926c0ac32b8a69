// Harder generated data: users of no archetype, per-user jitter of every behavioural rate, and
// heavy users, all drawn from a second per-user stream so clean data stays byte-identical.
#pragma once
#include <cstdint>

#include "generate/archetypes.hpp"
#include "generate/user_events.hpp"

namespace segmint::gen {

/// The habits one user follows under `messy`.
struct MessyHabits {
  Archetype habits;      ///< the planted archetype, or a mix (untyped), jittered
  bool untyped = false;  ///< no archetype: each group of habits from a random archetype
  bool heavy = false;    ///< Messiness::heavy_factor times the sessions, as many times closer
};

/// Draws user `index`'s deviations from `planted` from the stream (seed, index) salted apart
/// from the main one. Untyped users take every habit group (sessions, active period, day parts,
/// weekend, views, funnel rates, tier, categories, click gaps) from an archetype drawn anew per
/// group; jitter multiplies every rate by exp(jitter * N(0, 1)), one draw per rate.
MessyHabits messy_habits(const Archetype& planted, const Messiness& messy, std::uint64_t seed,
                         std::uint64_t index);

}  // namespace segmint::gen
