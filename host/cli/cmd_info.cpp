// segmint info: reads event files and prints counts (rows, users, types, orders, time range).
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "ingest/timestamp.hpp"
#include "common/log.hpp"
#include "segmint/error.hpp"
#include "segmint/ingest.hpp"

namespace segmint::cli {
namespace {

// 1234567 -> "1,234,567": the figures are written that way.
std::string grouped(std::uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string time_text(std::int64_t t) {
  char buf[32];
  return std::string(ingest::format_timestamp(t, buf)) + " UTC";
}

void print_text(const std::vector<std::string>& paths, const std::vector<std::string>& schemas,
                const IngestCounts& c, std::size_t users) {
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::printf("file               %s (schema %s)\n", paths[i].c_str(),
                i < schemas.size() ? schemas[i].c_str() : "?");
  }
  std::printf("rows               %s\n", grouped(c.rows).c_str());
  std::printf("events             %s\n", grouped(c.events).c_str());
  std::printf("rows without user  %s\n", grouped(c.rows_without_user).c_str());
  std::printf("bad rows           %s\n", grouped(c.bad_rows).c_str());
  std::printf("users              %s\n", grouped(users).c_str());
  std::printf("orders             %s (%s cancelled)\n", grouped(c.orders).c_str(),
              grouped(c.cancelled_orders).c_str());
  if (c.events > 0) {
    std::printf("time range         %s .. %s\n", time_text(c.min_time).c_str(),
                time_text(c.max_time).c_str());
  }
  std::printf("events by type\n");
  for (int i = 0; i < kEventTypeCount; ++i) {
    if (c.by_type[i] == 0) continue;
    std::printf("  %-17s%s\n", to_string(static_cast<EventType>(i)), grouped(c.by_type[i]).c_str());
  }
}

nlohmann::json to_json(const std::vector<std::string>& paths,
                       const std::vector<std::string>& schemas, const IngestCounts& c,
                       std::size_t users) {
  nlohmann::json j;
  j["files"] = nlohmann::json::array();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    j["files"].push_back({{"path", paths[i]}, {"schema", i < schemas.size() ? schemas[i] : ""}});
  }
  j["rows"] = c.rows;
  j["events"] = c.events;
  j["rows_without_user"] = c.rows_without_user;
  j["bad_rows"] = c.bad_rows;
  j["users"] = users;
  j["orders"] = c.orders;
  j["cancelled_orders"] = c.cancelled_orders;
  j["bytes"] = c.bytes;
  nlohmann::json types = nlohmann::json::object();
  for (int i = 0; i < kEventTypeCount; ++i) types[to_string(static_cast<EventType>(i))] = c.by_type[i];
  j["events_by_type"] = types;
  if (c.events > 0) {
    j["time_min"] = time_text(c.min_time);
    j["time_max"] = time_text(c.max_time);
    j["time_min_unix"] = c.min_time;
    j["time_max_unix"] = c.max_time;
  }
  return j;
}

}  // namespace

int cmd_info(int argc, char** argv) {
  cxxopts::Options options("segmint info", "Count rows, users, events by type, orders and the "
                                           "time range of event files.");
  add_common_options(options);
  add_ingest_options(options);
  options.add_options("info")("json", "print the counts as one JSON object")(
      "threads", "parser threads (0 = all cores)", cxxopts::value<int>()->default_value("0"));
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  auto paths = event_paths_from(r);
  IngestOptions opts = ingest_options_from(r);
  opts.count_orders = true;
  UserDictionary users;
  auto source = open_events(paths, opts, users);
  EventBatch batch;
  while (source->next(batch)) {
  }
  const IngestCounts& c = source->counts();
  if (r.count("json")) {
    std::printf("%s\n", to_json(paths, source->schemas(), c, users.size()).dump(2).c_str());
  } else {
    print_text(paths, source->schemas(), c, users.size());
  }
  if (c.bad_rows > 0) log_warn("skipped " + std::to_string(c.bad_rows) + " bad rows");
  return 0;
}

}  // namespace segmint::cli
