// The report's style sheet (constant, inlined into the page).
#pragma once

namespace segmint::report {

/// CSS for screen (a laptop and up, narrow screens stack) and print (A4/Letter, no cut cards).
const char* page_css();

}  // namespace segmint::report
