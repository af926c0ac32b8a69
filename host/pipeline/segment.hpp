// Segment helpers of the run record: which raw columns are profiled on the log scale, and the
// compact segment table every segmenting command prints to stderr.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "profile/profile.hpp"
#include "profile/segmentation.hpp"
#include "segmint/features.hpp"

namespace segmint::pipeline {

/// Which raw columns are heavy-tailed (profile z-scores on the log scale): those the scaler
/// log1p-transforms, plus catalog features flagged log1p.
std::vector<std::uint8_t> log_scale_columns(const std::vector<std::string>& raw_names,
                                            const Scaler& scaler);

/// The compact segment table printed to stderr: id, name, size, share and a few key means.
/// `segment_ids` gives the id shown for each row (empty = row i is segment i).
std::string segment_table(const Profiles& profiles, const std::vector<std::string>& names,
                          const std::vector<int>& segment_ids = {});

}  // namespace segmint::pipeline
