// summary.json's "mpi" block: what each rank read and owned, and what the whole job moved
// between the ranks and how long each rank spent communicating.
#pragma once
#include <string>

#include "dist/shuffle.hpp"
#include "pipeline/run_record.hpp"

namespace segmint::dist {

/// Collective, after the read step: every rank's events read and owned, users, rounds and the
/// bytes and time of the read so far. Returns the block's JSON on the root ("" elsewhere).
std::string read_traffic(const OwnedUsers& owned);

/// Root, before the summary is described: announces "mpi.traffic" to the followers, gathers
/// every rank's whole-job bytes and communication time and puts them into r's "mpi" block
/// (created when the command had no read step, as cluster). No-op outside an MPI job.
void record_traffic(pipeline::RunRecord& r);

/// A follower's side of record_traffic.
void report_traffic();

}  // namespace segmint::dist
