// Colours that colour-blind readers can tell apart: Okabe-Ito for segments, a blue-white-red
// diverging scale (ColorBrewer RdBu) for z-scores.
#pragma once
#include <string>

namespace segmint::report {

/// Colour of the `index`-th segment ("#rrggbb"); cycles after 12.
std::string segment_colour(std::size_t index);

/// Colour for a z-score: blue below 0, white at 0, red above, saturated at |z| >= limit.
std::string diverging_colour(double z, double limit = 2.5);

/// Black or white, whichever reads better on `background` ("#rrggbb").
std::string text_colour_on(const std::string& background);

}  // namespace segmint::report
