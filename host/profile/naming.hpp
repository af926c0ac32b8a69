// Readable segment names from the dominant traits of each segment's profile.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "profile/profile.hpp"

namespace segmint::pipeline {

/// One name per segment, unique within the run. Marketing names (the RFM vocabulary: Champions,
/// Loyal, Potential Loyalists, New, Promising, Need Attention, About to Sleep, At Risk, Can't
/// Lose Them, Hibernating, Lost; and behaviour: Cart Abandoners, Window Shoppers, Serial
/// Returners, Night Owls, ...) come from rules on the profile (docs/SEGMENTS.md); a rule whose
/// features are absent or constant never fires. The strongest (segment, rule) matches are taken
/// first, each name once. Segments left over take their best rule's name, else "High <column>" /
/// "Low <column>" for a column of the user's own table, else "Segment A", "Segment B", ...
/// (never a segmint feature name). Repeats get " 2", " 3", ...
std::vector<std::string> name_segments(const Profiles& profiles);

/// As above, but segments whose `keep` entry is non-empty keep that name (nightly: a segment
/// matched to yesterday's keeps its name); the others are named by the same rules without
/// reusing a kept name. `keep` has one entry per segment (or is empty: name them all).
std::vector<std::string> name_segments(const Profiles& profiles,
                                       const std::vector<std::string>& keep);

/// One plain-words sentence saying what a name means ("Champions" and "Champions 2": "Bought
/// recently, buy often and spend the most."); "" for fallback names.
std::string segment_meaning(const std::string& name);

/// The `count` features of `segment` with the largest |z| (ties: column order), with their z.
std::vector<std::pair<std::string, double>> top_traits(const Profiles& profiles,
                                                       const SegmentProfile& segment, int count);

}  // namespace segmint::pipeline
