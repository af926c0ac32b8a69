// segmint features: events -> per-user raw feature table (user_id,<features>), written atomically.
#include <string>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "log.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint::cli {

int cmd_features(int argc, char** argv) {
  cxxopts::Options options("segmint features",
                           "Write the per-user behavioral feature table (raw units, before any "
                           "transform): user_id,<feature columns>, users sorted by id.");
  add_common_options(options);
  add_ingest_options(options);
  add_feature_options(options);
  options.add_options("output")("out", "output CSV file", cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  // Cheap option checks first, so a typo is reported before any file is opened.
  const FeatureCliOptions fo = feature_options_from(r);
  const std::string out = required_string(r, "out");
  const auto paths = event_paths_from(r);
  const IngestOptions ingest = ingest_options_from(r);

  UserDictionary users;
  auto source = open_events(paths, ingest, users);
  UserTable table = aggregate_events(*source, fo.aggregate);
  table.ensure_users(users.size());
  std::int64_t as_of = 0;
  FeatureMatrix raw = compute_features(table, fo.features, &as_of);
  write_features_csv(out, raw, users);
  log_info("features: " + std::to_string(raw.rows) + " users x " + std::to_string(raw.cols) +
           " features (as_of " + std::to_string(as_of) + ") -> " + out);
  return 0;
}

}  // namespace segmint::cli
