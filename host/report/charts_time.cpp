// Figures over a range: sweep curves over k, segment sizes over nights, and the migration table.
#include <algorithm>
#include <cmath>
#include <map>

#include "report/charts.hpp"
#include "report/format.hpp"
#include "report/palette.hpp"

namespace segmint::report {
namespace {

struct Series {
  std::string name, colour;
  std::vector<double> y;  ///< NaN = no point (a segment absent that night)
};

struct LineChart {
  std::string id, title;
  std::vector<std::string> x_labels;
  std::vector<Series> series;
  int mark = -1;  ///< x index marked with a dashed line
  std::string mark_label;
  bool from_zero = false;
  double width = 340, height = 220;
};

/// Three or four round tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
  double span = hi - lo > 0 ? hi - lo : std::max(std::fabs(hi), 1.0);
  double step = std::pow(10, std::floor(std::log10(span / 3)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (span / (step * m) <= 4) {
      step *= m;
      break;
    }
  }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step) out.push_back(t);
  return out;
}

void draw(HtmlWriter& w, const LineChart& c) {
  const double l = 56, r = 14, t = 28, b = 34;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& s : c.series)
    for (double v : s.y)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (c.from_zero) lo = std::min(lo, 0.0);
  if (hi - lo <= 0) hi = lo + 1;
  const double pad = (hi - lo) * 0.08;
  if (!c.from_zero) lo -= pad;
  hi += pad;
  const std::size_t n = c.x_labels.size();
  auto sx = [&](std::size_t i) {
    return n <= 1 ? (l + c.width - r) / 2 : l + (c.width - l - r) * double(i) / double(n - 1);
  };
  auto sy = [&](double v) { return c.height - b - (c.height - t - b) * (v - lo) / (hi - lo); };
  w.open("svg", {{"class", "chart line"},
                 {"id", c.id},
                 {"viewBox", "0 0 " + svg_num(c.width) + " " + svg_num(c.height)},
                 {"role", "img"},
                 {"aria-label", c.title}});
  w.leaf("text", {{"x", svg_num(l)}, {"y", "16"}, {"class", "chart-title"}}, c.title);
  for (double tv : ticks(lo, hi)) {
    w.empty("line", {{"x1", svg_num(l)},
                     {"x2", svg_num(c.width - r)},
                     {"y1", svg_num(sy(tv))},
                     {"y2", svg_num(sy(tv))},
                     {"class", "grid"}});
    w.leaf("text", {{"x", svg_num(l - 6)}, {"y", svg_num(sy(tv) + 4)}, {"text-anchor", "end"}},
           format_amount(tv));
  }
  const std::size_t every = std::max<std::size_t>(1, (n + 7) / 8);  // at most ~8 x labels
  for (std::size_t i = 0; i < n; i += every) {
    // The outermost labels of a long axis hang inwards so they are never cut off.
    const char* anchor = n > 1 && i == 0 ? "start" : n > 1 && i == n - 1 ? "end" : "middle";
    w.leaf("text",
           {{"x", svg_num(sx(i))}, {"y", svg_num(c.height - b + 16)}, {"text-anchor", anchor}},
           c.x_labels[i]);
  }
  if (c.mark >= 0 && static_cast<std::size_t>(c.mark) < n) {
    const double x = sx(static_cast<std::size_t>(c.mark));
    w.empty("line", {{"x1", svg_num(x)},
                     {"x2", svg_num(x)},
                     {"y1", svg_num(t)},
                     {"y2", svg_num(c.height - b)},
                     {"class", "mark"}});
    const bool right = x > c.width - 80;  // near the right edge: label on the left
    w.leaf("text",
           {{"x", svg_num(right ? x - 4 : x + 4)},
            {"y", svg_num(t + 10)},
            {"text-anchor", right ? "end" : "start"},
            {"class", "mark-label"}},
           c.mark_label);
  }
  for (const auto& s : c.series) {
    std::string pts;
    w.open("g", {{"stroke", s.colour}, {"fill", s.colour}});
    w.leaf("title", {}, s.name);
    for (std::size_t i = 0; i < s.y.size() && i < n; ++i) {
      if (!std::isfinite(s.y[i])) continue;
      pts += svg_num(sx(i)) + "," + svg_num(sy(s.y[i])) + " ";
      w.empty("circle", {{"cx", svg_num(sx(i))}, {"cy", svg_num(sy(s.y[i]))}, {"r", "3"}});
    }
    w.empty("polyline", {{"points", pts}, {"fill", "none"}, {"stroke-width", "2"}});
    w.close("g");
  }
  w.close("svg");
}

/// "2024-01-01" per night ("2024-01-01 13:07" when two nights share a date).
std::vector<std::string> night_labels(const ReportNightly& nightly) {
  std::vector<std::string> out;
  bool clash = false;
  for (const auto& n : nightly.nights) {
    out.push_back(n.run.substr(0, 10));
    clash = clash || (out.size() > 1 && out[out.size() - 2] == out.back());
  }
  if (clash) {  // run names are <date>T<hhmmss>Z
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::string& r = nightly.nights[i].run;
      if (r.size() >= 15) out[i] += " " + r.substr(11, 2) + ":" + r.substr(13, 2);
    }
  }
  return out;
}

/// Segment names for legends; a name two ids share gets the id ("Champions (id 3)").
std::vector<std::string> series_names(const ReportNightly& nightly) {
  std::vector<std::string> out;
  for (const auto& [id, name] : nightly.names) {
    int same = 0;
    for (const auto& other : nightly.names) same += other.second == name;
    out.push_back(same > 1 ? name + " (id " + std::to_string(id) + ")" : name);
  }
  return out;
}

}  // namespace

void sweep_charts(HtmlWriter& w, const ReportSweep& sweep) {
  struct Metric {
    const char* id;
    const char* title;
    double SweepPoint::*field;
  };
  const Metric metrics[] = {
      {"sweep-inertia", "Inertia (look for the elbow)", &SweepPoint::inertia},
      {"sweep-silhouette", "Silhouette (higher is better)", &SweepPoint::silhouette},
      {"sweep-db", "Davies-Bouldin (lower is better)", &SweepPoint::davies_bouldin},
      {"sweep-ch", "Calinski-Harabasz (higher is better)", &SweepPoint::calinski_harabasz},
  };
  int mark = -1;
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < sweep.points.size(); ++i) {
    labels.push_back(std::to_string(sweep.points[i].k));
    if (sweep.points[i].k == sweep.recommended_k) mark = static_cast<int>(i);
  }
  w.open("div", {{"class", "small-multiples"}});
  for (const Metric& m : metrics) {
    LineChart c;
    c.id = m.id;
    c.title = m.title;
    c.x_labels = labels;
    c.mark = mark;
    c.mark_label = "k = " + std::to_string(sweep.recommended_k);
    Series s{"", segment_colour(0), {}};
    for (const auto& p : sweep.points) s.y.push_back(p.*m.field);
    c.series.push_back(std::move(s));
    draw(w, c);
  }
  w.close("div");
}

void nightly_size_chart(HtmlWriter& w, const ReportNightly& nightly) {
  LineChart c;
  c.id = "nightly-size-chart";
  c.title = "Users per segment, night by night";
  c.from_zero = true;
  c.width = 720;
  c.height = 300;
  c.x_labels = night_labels(nightly);
  const std::vector<std::string> names = series_names(nightly);
  for (std::size_t i = 0; i < nightly.names.size(); ++i) {
    const int id = nightly.names[i].first;
    Series s{names[i], segment_colour(static_cast<std::size_t>(std::max(id, 0))), {}};
    for (const auto& n : nightly.nights) {
      double v = NAN;
      for (const auto& [sid, size] : n.sizes) {
        if (sid == id) v = static_cast<double>(size);
      }
      s.y.push_back(v);
    }
    c.series.push_back(std::move(s));
  }
  draw(w, c);
  w.open("ul", {{"class", "legend"}});
  for (std::size_t i = 0; i < nightly.names.size(); ++i) {
    legend_item(w, segment_colour(static_cast<std::size_t>(std::max(nightly.names[i].first, 0))),
                names[i]);
  }
  w.close("ul");
}

void migration_table(HtmlWriter& w, const ReportNightly& n) {
  std::map<int, std::string> names;
  const std::vector<std::string> labels = series_names(n);
  for (std::size_t i = 0; i < n.names.size(); ++i) names[n.names[i].first] = labels[i];
  const std::size_t cols = n.to_ids.size();
  w.open("div", {{"class", "table-scroll"}});
  w.open("table", {{"class", "migrations"}, {"id", "migration-table"}});
  w.open("thead").open("tr").leaf("th", {{"scope", "col"}},
                                  "Yesterday \xE2\x86\x93 / tonight \xE2\x86\x92");
  for (int id : n.to_ids) w.leaf("th", {{"scope", "col"}}, names[id]);
  w.close("tr").close("thead").open("tbody");
  auto row = [&](const std::string& label, const std::uint64_t* counts, int from_id) {
    std::uint64_t total = 0;
    for (std::size_t t = 0; t < cols; ++t) total += counts[t];
    w.open("tr").leaf("th", {{"scope", "row"}},
                      label + " (" + format_count(static_cast<std::int64_t>(total)) + ")");
    for (std::size_t t = 0; t < cols; ++t) {
      const double share = total ? static_cast<double>(counts[t]) / static_cast<double>(total) : 0;
      const std::string bg = diverging_colour(-share * 2.5);  // white -> blue with the share
      std::string cls = n.to_ids[t] == from_id ? "stay" : "";
      w.leaf("td",
             {{"class", cls},
              {"style", "background:" + bg + ";color:" + text_colour_on(bg)},
              {"title", format_percent(share) + " of the row"}},
             format_count(static_cast<std::int64_t>(counts[t])));
    }
    w.close("tr");
  };
  for (std::size_t f = 0; f < n.from_ids.size(); ++f) {
    row(names[n.from_ids[f]], n.counts.data() + f * cols, n.from_ids[f]);
  }
  if (n.new_users.size() == cols) row("New users", n.new_users.data(), -1);
  w.close("tbody").close("table").close("div");
}

}  // namespace segmint::report
