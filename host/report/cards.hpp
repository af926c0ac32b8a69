// One card per segment: name, what it means in plain words, key values next to the population's
// and its distinguishing traits.
#pragma once
#include "report/html.hpp"
#include "report/report_data.hpp"

namespace segmint::report {

/// The sentence a card opens with: the name's meaning (profile/naming) or, for a fallback name,
/// what the segment stands out by.
std::string segment_sentence(const ReportSegment& segment);

/// All cards, in segment order.
void segment_cards(HtmlWriter& w, const ReportRun& run);

}  // namespace segmint::report
