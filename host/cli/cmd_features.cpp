// segmint features: events -> per-user raw feature table (user_id,<features>), written atomically.
#include <string>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/log.hpp"
#include "pipeline/events_pipeline.hpp"
#include "segmint/backend.hpp"
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

  BackendOptions cpu;  // features has no --device: the CPU feature stage, as always
  cpu.device = DeviceChoice::cpu;
  const std::unique_ptr<Backend> backend = make_backend(cpu);
  const pipeline::UserFeatures f =
      pipeline::events_to_features(*backend, paths, ingest, fo.aggregate, fo.features);
  write_features_csv(out, f.raw, f.users);
  log_info("features: " + std::to_string(f.raw.rows) + " users x " + std::to_string(f.raw.cols) +
           " features (as_of " + std::to_string(f.as_of) + ") -> " + out);
  return 0;
}

}  // namespace segmint::cli
