// The exchange: each rank reads its pieces of the input and sends every event to the rank that
// owns its user (a hash of the user id), in bounded rounds of MPI_Alltoallv; each owner folds
// the events of its users into a UserTable and remembers where each user first appeared.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "dist/split.hpp"
#include "segmint/aggregate.hpp"
#include "segmint/dictionary.hpp"
#include "segmint/ingest.hpp"

namespace segmint::dist {

/// Position key of a user's first appearance. Users of a saved state (nightly) keep their row:
/// key = row < 2^63. A user new in this input: 2^63 | reader rank << 47 | appearance number on
/// that reader; readers hold consecutive parts of the input, so sorting new users by key gives
/// the order in which one process would have met them.
inline constexpr std::uint64_t kNewUser = std::uint64_t(1) << 63;
inline constexpr int kSeqBits = 47;
inline std::uint64_t appearance_key(int reader, std::uint64_t seq) {
  return kNewUser | (static_cast<std::uint64_t>(reader) << kSeqBits) | seq;
}

/// The rank that owns user `id` among `ranks` ranks.
int owner_of(std::string_view id, int ranks);

/// What one rank holds after the exchange: its users and their aggregates.
struct OwnedUsers {
  UserDictionary users;              ///< owned users, in the order this rank met them
  std::vector<std::uint64_t> first;  ///< per owned user: its position key (see kNewUser)
  std::vector<std::uint64_t> rows;   ///< per owned user: its global row (after read_features)
  UserTable table;                   ///< per owned user: aggregates
  IngestCounts counts;               ///< of the rows this rank read
  std::uint64_t events_owned = 0;    ///< events received for owned users
  std::uint64_t rounds = 0;          ///< exchange rounds
  double read_ms = 0, aggregate_ms = 0;
};

/// Reads `pieces` (this rank's share) in batches of options.batch_rows events and exchanges
/// them until every rank is done; events of users owned here are folded into owned.table
/// (which may hold a saved state: owned.users/first/table are extended, not replaced). Every
/// rank must call it (collective). Bad input throws InputError naming file and line.
void exchange_events(const std::vector<Piece>& pieces, const IngestOptions& options,
                     OwnedUsers& owned);

}  // namespace segmint::dist
