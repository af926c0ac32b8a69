// segmint generate: writes a synthetic REES46-shaped event log with planted archetypes.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "generate/generator.hpp"
#include "generate/rows.hpp"
#include "common/log.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {

int cmd_generate(int argc, char** argv) {
  cxxopts::Options options("segmint generate",
                           "Write DIR/events.csv (REES46 columns) with planted behavioral "
                           "archetypes, DIR/truth.csv (user_id,archetype) and DIR/generate.json.");
  add_common_options(options);
  options.add_options("generate")("users", "number of users", cxxopts::value<std::uint64_t>())(
      "out", "output directory (created)", cxxopts::value<std::string>())(
      "seed", "random seed (same seed, same bytes)",
      cxxopts::value<std::uint64_t>()->default_value("1"))(
      "days", "length of the time window in days", cxxopts::value<int>()->default_value("30"))(
      "start", "first day of the window (UTC), YYYY-MM-DD",
      cxxopts::value<std::string>()->default_value("2019-10-01"))(
      "threads", "generator threads (0 = all cores); the output never depends on it",
      cxxopts::value<int>()->default_value("0"));
  options.add_options("harder data")(
      "jitter", "sigma of a per-user log-normal factor on every behavioural rate (0 = clean)",
      cxxopts::value<double>()->default_value("0"))(
      "untyped-share", "share of users of no archetype (truth.csv: none)",
      cxxopts::value<double>()->default_value("0"))(
      "heavy-share", "share of heavy users (bots, resellers); truth.csv gets a heavy column",
      cxxopts::value<double>()->default_value("0"))(
      "heavy-factor", "sessions of a heavy user, in multiples of their archetype's",
      cxxopts::value<double>()->default_value("100"));
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;

  gen::GenerateOptions o;
  if (!r.count("users")) throw UsageError("missing required option --users");
  o.users = r["users"].as<std::uint64_t>();
  std::string out = required_string(r, "out");
  o.seed = r["seed"].as<std::uint64_t>();
  o.days = r["days"].as<int>();
  o.threads = r["threads"].as<int>();
  if (o.threads < 0) throw UsageError("--threads must be >= 0");
  std::int64_t day = 0;
  std::string start = r["start"].as<std::string>();
  if (!gen::parse_civil_date(start, day)) {
    throw UsageError("--start must be a date YYYY-MM-DD (from 1970), got '" + start + "'");
  }
  o.start = day * 86400;
  o.messy.jitter = r["jitter"].as<double>();
  o.messy.untyped_share = r["untyped-share"].as<double>();
  o.messy.heavy_share = r["heavy-share"].as<double>();
  o.messy.heavy_factor = r["heavy-factor"].as<double>();

  gen::GenerateStats s = gen::generate_dataset(o, out);
  std::printf("users %llu\nevents %llu\nbytes %llu\nout %s\n",
              static_cast<unsigned long long>(s.users), static_cast<unsigned long long>(s.events),
              static_cast<unsigned long long>(s.bytes), out.c_str());
  log_info("generate: " + std::to_string(s.events) + " events of " + std::to_string(s.users) +
           " users written to " + out);
  return 0;
}

}  // namespace segmint::cli
