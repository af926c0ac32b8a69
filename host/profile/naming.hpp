// Readable segment names from the dominant traits of each segment's profile.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "profile/profile.hpp"

namespace segmint::pipeline {

/// One name per segment, unique within the run. Marketing names (Champions, Loyal, Big Spenders,
/// New, At Risk, Dormant, Cart Abandoners, Window Shoppers, Night Owls, Bargain Hunters, ...)
/// come from rules on the z-scores of named features; a rule whose features are absent never
/// fires. The strongest (segment, rule) matches are taken first, each name once. Segments left
/// over get "High <feature>" / "Low <feature>" from their most distinctive feature, or
/// "Segment A", "Segment B", ... when nothing stands out. Repeats get " 2", " 3", ...
std::vector<std::string> name_segments(const Profiles& profiles);

/// As above, but segments whose `keep` entry is non-empty keep that name (nightly: a segment
/// matched to yesterday's keeps its name); the others are named by the same rules without
/// reusing a kept name. `keep` has one entry per segment (or is empty: name them all).
std::vector<std::string> name_segments(const Profiles& profiles,
                                       const std::vector<std::string>& keep);

/// The `count` features of `segment` with the largest |z| (ties: column order), with their z.
std::vector<std::pair<std::string, double>> top_traits(const Profiles& profiles,
                                                       const SegmentProfile& segment, int count);

}  // namespace segmint::pipeline
