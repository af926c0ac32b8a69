// The run record's read step across the ranks of an MPI job: disjoint reads, the exchange to
// the owners, aggregates and features per owner, the global row order, the rows at the root.
#pragma once
#include <string>
#include <vector>

#include "dist/shuffle.hpp"
#include "pipeline/run_record.hpp"

namespace segmint::dist {

/// pipeline::read_features for a multi-rank run (collective). On the root, r ends exactly as
/// one process's read_features leaves it (users in first-appearance order, raw, counts, as_of,
/// time range) plus timings and summary_extra "mpi"; other ranks only take part. `owned` may
/// hold a saved state's users (nightly; their keys are their rows, state_rows of them in all);
/// it keeps this rank's users and table afterwards.
void read_features(pipeline::RunRecord& r, const std::vector<std::string>& paths,
                   const IngestOptions& ingest, const AggregateOptions& aggregate,
                   const FeatureOptions& features, OwnedUsers& owned, std::uint64_t state_rows = 0);

/// The same without a saved state (run, features, assign, sweep --events).
void read_features(pipeline::RunRecord& r, const std::vector<std::string>& paths,
                   const IngestOptions& ingest, const AggregateOptions& aggregate,
                   const FeatureOptions& features);

}  // namespace segmint::dist
