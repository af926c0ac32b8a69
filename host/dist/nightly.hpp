// nightly under mpirun: rank 0 runs the night (lock, manifest, fit, runs) and announces the two
// steps every rank takes part in, the merge of tonight's files and the saving of the table
// shards; the other ranks follow until rank 0 says the night is over.
#pragma once
#include "nightly/nightly_flow.hpp"

namespace segmint::dist {

/// Rank 0: the hooks run_nightly calls (each first announces its step to the followers).
nightly::RankedNight ranked_night(const nightly::NightlyOptions& options);
/// Rank 0: tells the followers the night is over (after run_nightly returned).
void end_night();
/// Ranks other than 0: take part in the steps rank 0 announces, until it ends the night.
void follow_night(const nightly::NightlyOptions& options);

}  // namespace segmint::dist
