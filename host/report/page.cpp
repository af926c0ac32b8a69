// Assembling report.html: head (charset, CSP, style), header, one section per figure, footer.
#include <filesystem>

#include "common/atomic_file.hpp"
#include "common/version.hpp"
#include "report/cards.hpp"
#include "report/charts.hpp"
#include "report/format.hpp"
#include "report/page_style.hpp"
#include "report/report.hpp"

namespace segmint::report {
namespace {

void head(HtmlWriter& w, const std::string& title) {
  w.raw("<!DOCTYPE html>\n").open("html", {{"lang", "en"}}).open("head");
  w.empty("meta", {{"charset", "utf-8"}});
  w.empty("meta", {{"http-equiv", "Content-Security-Policy"}, {"content", kContentSecurityPolicy}});
  w.empty("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
  w.leaf("title", {}, title);
  w.open("style").raw(page_css()).close("style");
  w.close("head");
}

std::string run_facts(const ReportRun& r) {
  std::string s = format_count(static_cast<std::int64_t>(r.users)) + " users";
  if (r.events) s += " \xC2\xB7 " + format_count(static_cast<std::int64_t>(r.events)) + " events";
  s += " \xC2\xB7 " + std::to_string(r.segments.size()) + " segments";
  if (!r.as_of.empty()) s += " \xC2\xB7 as of " + r.as_of;
  if (!r.device.empty()) s += " \xC2\xB7 computed on " + r.device;
  return s;
}

void nav(HtmlWriter& w, const ReportDocument& doc) {
  std::vector<std::pair<std::string, std::string>> links;
  if (doc.run) {
    links = {{"sizes", "Sizes"},
             {"segments", "Segments"},
             {"heatmap", "Heatmap"},
             {"projection", "Map of users"}};
  }
  if (doc.nightly) links.push_back({"nightly", "Night by night"});
  if (doc.sweep) links.push_back({"sweep", "Choosing k"});
  w.open("nav").open("ul");
  for (const auto& [id, text] : links)
    w.open("li").leaf("a", {{"href", "#" + id}}, text).close("li");
  w.close("ul").close("nav");
}

void section_start(HtmlWriter& w, const std::string& id, const std::string& title,
                   const std::string& lead) {
  w.open("section", {{"id", id}}).leaf("h2", {}, title);
  if (!lead.empty()) w.leaf("p", {{"class", "lead"}}, lead);
}

void run_sections(HtmlWriter& w, const ReportRun& r) {
  section_start(w, "sizes", "Segment sizes", "How many users each segment holds.");
  size_chart(w, r);
  w.close("section");
  section_start(w, "segments", "The segments",
                "What each segment is, in plain words, with its key values next to the average "
                "user's.");
  segment_cards(w, r);
  w.close("section");
  section_start(w, "heatmap", "What sets each segment apart",
                "Red: above the average user; blue: below; white: typical.");
  z_heatmap(w, r);
  w.close("section");
  section_start(w, "projection", "A map of the users",
                "Users close together behave alike; colours are segments.");
  if (r.projection.x.empty()) {
    w.leaf("p", {{"class", "note"}},
           "Not available: this run wrote no projection.json (`run --report` and "
           "`nightly --report` write one).");
  } else {
    projection_chart(w, r);
  }
  w.close("section");
}

void nightly_section(HtmlWriter& w, const ReportNightly& n) {
  section_start(w, "nightly", "Night by night",
                "Segment sizes over the kept nights, and where last night's users went.");
  w.open("div", {{"id", "nightly-sizes"}});
  nightly_size_chart(w, n);
  w.close("div");
  w.open("div", {{"id", "migrations"}}).leaf("h3", {}, "Migrations into the last night");
  if (n.from_ids.empty()) {
    w.leaf("p", {{"class", "note"}}, "This is the first night: nothing to compare with yet.");
  } else {
    const auto total = static_cast<double>(n.stayed + n.moved + n.new_total);
    w.leaf("p", {{"class", "lead"}},
           format_count(static_cast<std::int64_t>(n.stayed)) + " users stayed (" +
               format_percent(total > 0 ? n.stayed / total : 0) + "), " +
               format_count(static_cast<std::int64_t>(n.moved)) + " moved, " +
               format_count(static_cast<std::int64_t>(n.new_total)) +
               " are new since the night of " + n.previous_run.substr(0, 10) + ".");
    migration_table(w, n);
  }
  w.close("div").close("section");
}

void sweep_section(HtmlWriter& w, const ReportSweep& s) {
  section_start(w, "sweep", "How many segments?",
                "Quality of the segmentation for each k tried on " + s.source +
                    ". Recommended: k = " + std::to_string(s.recommended_k) +
                    " (highest silhouette" + (s.silhouette_sampled ? ", on a sample" : "") + ").");
  sweep_charts(w, s);
  w.close("section");
}

}  // namespace

std::string render_report(const ReportDocument& doc) {
  HtmlWriter w;
  const std::string title = (doc.run ? "Segments: " : "Choosing k: ") + doc.title;
  head(w, title + " \xE2\x80\x94 segmint report");
  w.open("body").open("header").leaf("h1", {}, title);
  if (doc.run) w.leaf("p", {{"class", "facts"}}, run_facts(*doc.run));
  nav(w, doc);
  w.close("header").open("main");
  if (doc.run) run_sections(w, *doc.run);
  if (doc.nightly) nightly_section(w, *doc.nightly);
  if (doc.sweep) sweep_section(w, *doc.sweep);
  w.close("main").open("footer");
  w.text("Made by segmint " + version_string() +
         ". This file is self-contained: it loads nothing "
         "and runs no script.");
  w.close("footer").close("body").close("html");
  return w.finish();
}

std::string write_run_report(const std::string& dir, const std::string& out) {
  ReportDocument doc = read_run_dir(dir);
  std::string path = out;
  if (path.empty()) {
    namespace fs = std::filesystem;
    const bool state =
        fs::exists(fs::path(dir) / "latest") && !fs::exists(fs::path(dir) / "summary.json");
    path = (fs::path(dir) / (state ? "latest/report.html" : "report.html")).string();
  }
  write_file_atomic(path, render_report(doc));
  return path;
}

void write_sweep_report(const ReportSweep& sweep, const std::string& title,
                        const std::string& out) {
  ReportDocument doc;
  doc.title = title;
  doc.sweep = sweep;
  write_file_atomic(out, render_report(doc));
}

}  // namespace segmint::report
