// The steps rank 0 leads and the other ranks follow: rank 0 announces each collective step
// (a night's merge or save, a k-means fit's prepare/init/Lloyd) and every rank takes part; the
// job's end tells the followers to stop.
#pragma once
#include <memory>
#include <string>

#include "nightly/nightly_flow.hpp"
#include "segmint/backend.hpp"

namespace segmint::dist {

/// Rank 0: step `op` with its arguments, to every follower.
void announce(const std::string& op, std::string args = {});
/// Rank 0: from now on the followers listen (end_job then announces "end").
void followers_listen();
/// Rank 0: true after followers_listen().
bool followers_listening();

/// Ranks other than 0: take part in every step rank 0 announces until it announces "end".
/// `night` holds the nightly options (nightly only).
void follow(const nightly::NightlyOptions* night = nullptr);

/// Under mpirun, the CPU backend with k-means spread over the ranks (block_fit.hpp, the same
/// bytes as one process); any other backend (the GPU) is returned as it is and fits on rank 0.
std::unique_ptr<Backend> spread_fits(std::unique_ptr<Backend> backend);

}  // namespace segmint::dist
