// The ingest option group: which files, which schema or mapping, batch size, bad-row policy.
#include <cstdint>
#include <string>
#include <typeinfo>

#include "cli/options.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {

// "a=b,c=d" -> {{a,b},{c,d}}; whitespace around names is kept (column names may have spaces).
std::vector<std::pair<std::string, std::string>> parse_pairs(const std::string& text,
                                                             const std::string& option) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(pos, comma - pos);
    std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      throw UsageError("--" + option + ": expected NAME=VALUE, got '" + item + "'");
    }
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

void add_ingest_options(cxxopts::Options& options) {
  options.add_options("input")(
      "events", "event files: CSV, CSV.gz or binary store (repeat, or comma-separated)",
      cxxopts::value<std::vector<std::string>>())(
      "schema", "auto, rees46, online-retail, taobao, retailrocket or custom",
      cxxopts::value<std::string>()->default_value("auto"))(
      "map",
      "column mapping FIELD=COLUMN,... (fields: user,time,type,amount,quantity,price,item,"
      "category,session,order)",
      cxxopts::value<std::vector<std::string>>())(
      "type-map", "raw event type to canonical type RAW=TYPE,... (unknown raw types are other)",
      cxxopts::value<std::vector<std::string>>())(
      "batch-rows", "events per batch (bounds memory)",
      cxxopts::value<std::uint64_t>()->default_value(std::to_string(IngestOptions{}.batch_rows)))(
      "on-bad-row", "fail (exit 2 at the first bad row) or skip (skip and count)",
      cxxopts::value<std::string>()->default_value("fail"))(
      "memory-budget",
      "host memory for aggregates and features, e.g. 8G (0 = no limit); over it the run stops "
      "with exit 3 before allocating",
      cxxopts::value<std::string>()->default_value("0"));
  options.parse_positional({"events"});
  // cxxopts hides positional options from --help unless told; --events is the main input.
  options.positional_help("[EVENT_FILE...]").show_positional_help();
}

IngestOptions ingest_options_from(const cxxopts::ParseResult& r) {
  IngestOptions o;
  o.schema = r["schema"].as<std::string>();
  // cxxopts splits vector values on commas already: each element is one NAME=VALUE pair.
  if (r.count("map")) {
    for (const auto& m : r["map"].as<std::vector<std::string>>()) {
      for (auto& p : parse_pairs(m, "map")) o.column_map.push_back(std::move(p));
    }
  }
  if (r.count("type-map")) {
    for (const auto& m : r["type-map"].as<std::vector<std::string>>()) {
      for (auto& p : parse_pairs(m, "type-map")) {
        if (!parse_event_type(p.second)) {
          throw UsageError("--type-map: unknown canonical type '" + p.second + "'");
        }
        o.type_map.push_back(std::move(p));
      }
    }
  }
  auto rows = r["batch-rows"].as<std::uint64_t>();
  if (rows == 0) throw UsageError("--batch-rows must be at least 1");
  o.batch_rows = static_cast<std::size_t>(rows);
  o.memory_budget = parse_byte_size(r["memory-budget"].as<std::string>(), "memory-budget");
  const std::string bad = r["on-bad-row"].as<std::string>();
  if (bad == "skip") o.skip_bad_rows = true;
  else if (bad != "fail") throw UsageError("--on-bad-row must be fail or skip, not '" + bad + "'");
  // --threads belongs to the command (k-means or info); reuse it for parsing when it is an int.
  if (r.count("threads")) {
    try {
      o.threads = r["threads"].as<int>();
    } catch (const std::bad_cast&) {
    }
  }
  return o;
}

std::vector<std::string> event_paths_from(const cxxopts::ParseResult& r) {
  if (!r.count("events")) throw UsageError("missing required option --events FILE...");
  auto paths = r["events"].as<std::vector<std::string>>();
  if (paths.empty()) throw UsageError("missing required option --events FILE...");
  return paths;
}

}  // namespace segmint::cli
