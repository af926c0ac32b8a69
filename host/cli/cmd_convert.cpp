// segmint convert: reads event files (any schema, CSV, CSV.gz or store) and writes them as one
// binary event store that every command reads back at disk speed.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/log.hpp"
#include "segmint/error.hpp"
#include "segmint/event_store.hpp"

namespace segmint::cli {

int cmd_convert(int argc, char** argv) {
  cxxopts::Options options("segmint convert",
                           "Convert event files to the binary event store (.sgm). The store "
                           "keeps every event, the user ids and the input's row counts; it is "
                           "written atomically (nothing appears on failure).");
  add_common_options(options);
  add_ingest_options(options);
  options.add_options("convert")("out", "output event store file (e.g. events.sgm)",
                                 cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const std::vector<std::string> paths = event_paths_from(r);
  IngestOptions ingest = ingest_options_from(r);
  ingest.count_orders = true;  // kept in the store, so `info` on it reports the input's orders
  const std::string out = required_string(r, "out");

  UserDictionary users;
  auto source = open_events(paths, ingest, users);
  const std::uint64_t events = write_event_store(*source, users, out);
  const IngestCounts& c = source->counts();
  std::printf("rows %llu\nevents %llu\nusers %llu\nbad_rows %llu\nrows_without_user %llu\nout %s\n",
              static_cast<unsigned long long>(c.rows), static_cast<unsigned long long>(events),
              static_cast<unsigned long long>(users.size()),
              static_cast<unsigned long long>(c.bad_rows),
              static_cast<unsigned long long>(c.rows_without_user), out.c_str());
  log_info("convert: " + std::to_string(events) + " events written to " + out);
  return 0;
}

}  // namespace segmint::cli
