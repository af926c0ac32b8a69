// Figures of one segmentation: segment sizes, the z-score heatmap and the projection.
#include <algorithm>
#include <cmath>

#include "report/charts.hpp"
#include "report/format.hpp"
#include "report/labels.hpp"
#include "report/palette.hpp"

namespace segmint::report {
namespace {

std::string seg_colour(int id) { return segment_colour(static_cast<std::size_t>(std::max(id, 0))); }

/// Name of segment `id` in `run`, or "segment <id>".
std::string name_of(const ReportRun& run, int id) {
  for (const auto& s : run.segments) {
    if (s.id == id) return s.name;
  }
  return "segment " + std::to_string(id);
}

void heat_legend(HtmlWriter& w) {
  const double width = 300, limit = 2.5;
  w.open("svg", {{"class", "legend-scale"},
                 {"viewBox", "0 0 340 40"},
                 {"role", "img"},
                 {"aria-label", "colour scale: blue below average, red above"}});
  for (int i = 0; i < 60; ++i) {
    double z = -limit + 2 * limit * (i + 0.5) / 60;
    w.empty("rect", {{"x", svg_num(20 + width * i / 60)},
                     {"y", "4"},
                     {"width", svg_num(width / 60 + 0.5)},
                     {"height", "14"},
                     {"fill", diverging_colour(z, limit)}});
  }
  for (double z : {-2.0, -1.0, 0.0, 1.0, 2.0}) {
    double x = 20 + width * (z + limit) / (2 * limit);
    w.leaf("text", {{"x", svg_num(x)}, {"y", "32"}, {"text-anchor", "middle"}},
           (z > 0 ? "+" : "") + format_decimal(z, 0));
  }
  w.close("svg");
}

}  // namespace

void legend_item(HtmlWriter& w, const std::string& colour, const std::string& text) {
  w.open("li").empty("span", {{"class", "swatch"}, {"style", "background:" + colour}});
  w.text(text).close("li");
}

void size_chart(HtmlWriter& w, const ReportRun& run) {
  const double row = 30, label = 190, bar = 420, width = label + bar + 150;
  const double height = row * static_cast<double>(run.segments.size()) + 10;
  double max_share = 0;
  for (const auto& s : run.segments) max_share = std::max(max_share, s.share);
  w.open("svg", {{"class", "chart"},
                 {"id", "size-chart"},
                 {"viewBox", "0 0 " + svg_num(width) + " " + svg_num(height)},
                 {"role", "img"},
                 {"aria-label", "users per segment"}});
  for (std::size_t i = 0; i < run.segments.size(); ++i) {
    const ReportSegment& s = run.segments[i];
    const double y = 5 + row * static_cast<double>(i);
    const double len = max_share > 0 ? bar * s.share / max_share : 0;
    w.open("g");
    w.leaf("title", {},
           s.name + ": " + format_count(s.size) + " users (" + format_percent(s.share) + ")");
    w.leaf("text",
           {{"x", svg_num(label - 8)},
            {"y", svg_num(y + row / 2 + 4)},
            {"text-anchor", "end"},
            {"class", "bar-label"}},
           s.name);
    w.empty("rect", {{"x", svg_num(label)},
                     {"y", svg_num(y + 3)},
                     {"width", svg_num(std::max(len, 1.0))},
                     {"height", svg_num(row - 8)},
                     {"fill", seg_colour(s.id)},
                     {"rx", "2"}});
    w.leaf("text", {{"x", svg_num(label + len + 6)}, {"y", svg_num(y + row / 2 + 4)}},
           format_count(s.size) + " \xC2\xB7 " + format_percent(s.share));
    w.close("g");
  }
  w.close("svg");
}

void z_heatmap(HtmlWriter& w, const ReportRun& run) {
  const std::size_t d = run.heat_features.size();
  w.open("div", {{"class", "table-scroll"}});
  w.open("table", {{"class", "heatmap"}, {"id", "heatmap-table"}});
  w.open("thead").open("tr").leaf("th", {{"scope", "col"}}, "Feature");
  for (const auto& s : run.segments) {
    w.open("th", {{"scope", "col"}})
        .empty("span", {{"class", "swatch"}, {"style", "background:" + seg_colour(s.id)}})
        .text(s.name)
        .close("th");
  }
  w.close("tr").close("thead").open("tbody");
  for (std::size_t j = 0; j < d; ++j) {
    w.open("tr").leaf("th", {{"scope", "row"}, {"title", run.heat_features[j]}},
                      feature_label(run.heat_features[j]));
    for (std::size_t c = 0; c < run.segments.size(); ++c) {
      const double z = run.heat_z[c * d + j];
      const std::string bg = diverging_colour(z);
      w.leaf("td",
             {{"style", "background:" + bg + ";color:" + text_colour_on(bg)},
              {"title", run.segments[c].name + ", " + feature_label(run.heat_features[j]) +
                            ": z = " + format_decimal(z, 2)}},
             (z > 0.005 ? "+" : "") + format_decimal(z, 1));
    }
    w.close("tr");
  }
  w.close("tbody").close("table").close("div");
  heat_legend(w);
  w.leaf("p", {{"class", "note"}}, run.heat_note);
}

void projection_chart(HtmlWriter& w, const ReportRun& run) {
  const Projection& p = run.projection;
  const double width = 640, height = 420, pad = 36;
  float x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (!p.x.empty()) {
    auto [xa, xb] = std::minmax_element(p.x.begin(), p.x.end());
    auto [ya, yb] = std::minmax_element(p.y.begin(), p.y.end());
    x0 = *xa, x1 = std::max(*xb, *xa + 1e-6f), y0 = *ya, y1 = std::max(*yb, *ya + 1e-6f);
  }
  auto sx = [&](float v) { return pad + (width - 2 * pad) * (v - x0) / (x1 - x0); };
  auto sy = [&](float v) { return height - pad - (height - 2 * pad) * (v - y0) / (y1 - y0); };
  w.open("svg", {{"class", "chart scatter"},
                 {"id", "projection-chart"},
                 {"viewBox", "0 0 " + svg_num(width) + " " + svg_num(height)},
                 {"role", "img"},
                 {"aria-label", "users on two principal axes, by segment"}});
  w.empty("rect", {{"x", svg_num(pad)},
                   {"y", svg_num(pad)},
                   {"width", svg_num(width - 2 * pad)},
                   {"height", svg_num(height - 2 * pad)},
                   {"class", "frame"}});
  for (const auto& s : run.segments) {  // one group per segment keeps the file small
    w.open("g", {{"fill", seg_colour(s.id)}});
    w.leaf("title", {}, s.name);
    for (std::size_t i = 0; i < p.x.size(); ++i) {
      if (p.segment[i] != s.id) continue;
      w.empty("circle", {{"cx", svg_num(sx(p.x[i]))}, {"cy", svg_num(sy(p.y[i]))}, {"r", "2.4"}});
    }
    w.close("g");
  }
  w.leaf("text",
         {{"x", svg_num(width / 2)}, {"y", svg_num(height - 10)}, {"text-anchor", "middle"}},
         "Axis 1 (" + format_percent(p.explained[0]) + " of variance): " + p.axis_label[0]);
  w.leaf("text",
         {{"x", "14"},
          {"y", svg_num(height / 2)},
          {"text-anchor", "middle"},
          {"transform", "rotate(-90 14 " + svg_num(height / 2) + ")"}},
         "Axis 2 (" + format_percent(p.explained[1]) + "): " + p.axis_label[1]);
  w.close("svg");
  w.open("ul", {{"class", "legend"}});
  for (const auto& s : run.segments) legend_item(w, seg_colour(s.id), name_of(run, s.id));
  w.close("ul");
  w.leaf("p", {{"class", "note"}},
         format_count(static_cast<std::int64_t>(p.x.size())) + " of " + format_count(p.population) +
             " users, picked by a hash of their id (the same users every run), placed on the two "
             "directions along which the clustered features vary most.");
}

}  // namespace segmint::report
