// segmint features: events -> per-user raw feature table (user_id,<features>), written atomically.
#include <string>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "common/log.hpp"
#include "pipeline/run_record.hpp"
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
  options.add_options("device")(
      "device",
      "cpu | auto | gpu: where the events are aggregated (cpu by default, so the "
      "table's bytes do not depend on the machine)",
      cxxopts::value<std::string>()->default_value("cpu"))(
      "gpu-memory", "GPU memory budget, e.g. 4G (0 = 80% of free memory)",
      cxxopts::value<std::string>()->default_value("0"));
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  // Cheap option checks first, so a typo is reported before any file is opened.
  const FeatureCliOptions fo = feature_options_from(r);
  const std::string out = required_string(r, "out");
  const auto paths = event_paths_from(r);
  const IngestOptions ingest = ingest_options_from(r);
  const DeviceChoice device = parse_device_choice(r["device"].as<std::string>());
  const std::size_t gpu_memory = parse_byte_size(r["gpu-memory"].as<std::string>(), "gpu-memory");

  pipeline::RunRecord rec;
  open_backend(rec, device, 0, gpu_memory);  // gpu: the device feature stage (issue 14)
  if (!read_events(rec, paths, ingest, fo.aggregate, fo.features)) return 0;
  write_features_csv(out, rec.raw, rec.users);
  log_info("features: " + std::to_string(rec.raw.rows) + " users x " +
           std::to_string(rec.raw.cols) + " features (as_of " + std::to_string(rec.as_of) +
           ") -> " + out);
  return 0;
}

}  // namespace segmint::cli
