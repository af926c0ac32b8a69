// The report's figures, drawn as inline SVG or HTML tables into an HtmlWriter. Colours follow
// palette.hpp; a segment's colour is chosen by its id, so it stays the same across nights.
#pragma once
#include "report/html.hpp"
#include "report/report_data.hpp"

namespace segmint::report {

/// Horizontal bars: one per segment, its name, users and share.
void size_chart(HtmlWriter& w, const ReportRun& run);

/// Segments (columns) x clustered features (rows), cells coloured by z on a diverging scale,
/// with the value printed and a colour legend.
void z_heatmap(HtmlWriter& w, const ReportRun& run);

/// The sampled users on their two principal axes, coloured by segment, with a legend.
void projection_chart(HtmlWriter& w, const ReportRun& run);

/// Inertia, silhouette, Davies-Bouldin and Calinski-Harabasz over k; recommended k marked.
void sweep_charts(HtmlWriter& w, const ReportSweep& sweep);

/// Users per segment over the kept nights, one line per segment id.
void nightly_size_chart(HtmlWriter& w, const ReportNightly& nightly);

/// Yesterday's segments (rows) x tonight's (columns): users who moved, shaded by row share.
void migration_table(HtmlWriter& w, const ReportNightly& nightly);

/// Colour swatch + text, the legend entry used by every chart.
void legend_item(HtmlWriter& w, const std::string& colour, const std::string& text);

}  // namespace segmint::report
