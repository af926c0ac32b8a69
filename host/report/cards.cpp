// Segment cards.
#include "report/cards.hpp"

#include <algorithm>

#include "profile/naming.hpp"
#include "report/format.hpp"
#include "report/labels.hpp"
#include "report/palette.hpp"

namespace segmint::report {
namespace {

/// Columns a card lists: the key features present, then the traits' features, no repeats.
std::vector<std::size_t> card_columns(const ReportRun& run, const ReportSegment& s) {
  std::vector<std::size_t> cols;
  auto add = [&](const std::string& name) {
    for (std::size_t j = 0; j < run.features.size(); ++j) {
      if (run.features[j].name == name && std::find(cols.begin(), cols.end(), j) == cols.end()) {
        // A column that is 0 for everyone (no prices, no views) says nothing.
        if (run.population_mean[j] != 0 || s.mean[j] != 0) cols.push_back(j);
      }
    }
  };
  for (const auto& k : key_features()) add(k);
  for (const auto& t : s.traits) add(t.first);
  return cols;
}

void card(HtmlWriter& w, const ReportRun& run, const ReportSegment& s) {
  const std::string colour = segment_colour(static_cast<std::size_t>(std::max(s.id, 0)));
  w.open("article", {{"class", "card"},
                     {"id", "segment-" + std::to_string(s.id)},
                     {"style", "border-top-color:" + colour}});
  w.open("h3").empty("span", {{"class", "swatch"}, {"style", "background:" + colour}});
  w.text(s.name).close("h3");
  w.leaf("p", {{"class", "size"}},
         format_count(s.size) + " users \xC2\xB7 " + format_percent(s.share) +
             " \xC2\xB7 segment " + std::to_string(s.id));
  w.leaf("p", {{"class", "sentence"}}, segment_sentence(s));
  w.open("table", {{"class", "values"}});
  w.open("thead").open("tr").leaf("th", {}, "").leaf("th", {{"scope", "col"}}, "Segment");
  w.leaf("th", {{"scope", "col"}}, "All users").close("tr").close("thead").open("tbody");
  for (std::size_t j : card_columns(run, s)) {
    const auto& f = run.features[j];
    w.open("tr").leaf("th", {{"scope", "row"}}, feature_label(f.name));
    w.leaf("td", {}, format_in_unit(s.mean[j], f.unit));
    w.leaf("td", {{"class", "population"}}, format_in_unit(run.population_mean[j], f.unit));
    w.close("tr");
  }
  w.close("tbody").close("table");
  if (!s.traits.empty()) {
    w.leaf("p", {{"class", "traits-title"}}, "Stands out by");
    w.open("ul", {{"class", "traits"}});
    for (const auto& [name, z] : s.traits) {
      w.leaf("li", {{"class", z > 0 ? "up" : "down"}}, trait_phrase(name, z));
    }
    w.close("ul");
  }
  w.close("article");
}

}  // namespace

std::string segment_sentence(const ReportSegment& segment) {
  std::string meaning = pipeline::segment_meaning(segment.name);
  if (!meaning.empty()) return meaning;
  if (segment.traits.empty()) return "Close to the average user on every feature.";
  std::string out =
      "Stands out by " + trait_phrase(segment.traits[0].first, segment.traits[0].second);
  if (segment.traits.size() > 1) {
    out += " and " + trait_phrase(segment.traits[1].first, segment.traits[1].second);
  }
  return out + ".";
}

void segment_cards(HtmlWriter& w, const ReportRun& run) {
  w.open("div", {{"class", "cards"}});
  for (const auto& s : run.segments) card(w, run, s);
  w.close("div");
}

}  // namespace segmint::report
