// nightly under mpirun: rank 0 runs the night (lock, manifest, fit, runs) and announces the two
// steps every rank takes part in, the merge of tonight's files and the saving of the table
// shards (the other ranks take them in dist::follow).
#pragma once
#include <string>

#include "dist/shuffle.hpp"
#include "nightly/nightly_flow.hpp"
#include "pipeline/run_record.hpp"

namespace segmint::dist {

/// Rank 0: the hooks run_nightly calls (each announces its step to the followers first).
nightly::RankedNight ranked_night(const nightly::NightlyOptions& options);

/// Every rank: the state's users and table (this rank's shard, or with --full the saved users
/// handed out), then tonight's files read across the ranks into `owned` and r (rank 0).
void night_merge(pipeline::RunRecord& r, const nightly::NightlyOptions& o, const std::string& plan,
                 OwnedUsers& owned);
/// Every rank: writes its shard into the staged state, then waits for all shards.
void night_save(const std::string& staged, const OwnedUsers& owned);

}  // namespace segmint::dist
