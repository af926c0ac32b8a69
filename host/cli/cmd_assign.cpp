// segmint assign: puts the users of new events into an existing model's segments, with the
// model's features, scaler and centroids (no reclustering).
#include <cxxopts.hpp>

#include <filesystem>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "common/atomic_file.hpp"
#include "common/log.hpp"
#include "pipeline/run_record.hpp"
#include "profile/segment_order.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {
/// --out names a .csv file, or a directory that receives assignments.csv.
std::string assignments_path(const std::string& out) {
  std::filesystem::path p(out);
  if (p.extension() == ".csv") {
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    return out;
  }
  std::filesystem::create_directories(p);
  return (p / "assignments.csv").string();
}
}  // namespace

int cmd_assign(int argc, char** argv) {
  cxxopts::Options options("segmint assign",
                           "Assigns the users of event files to the segments of an existing "
                           "model.json (same features, same scaler, nearest centroid).");
  add_common_options(options);
  add_ingest_options(options);
  options.add_options("assign")(
      "model", "model.json written by run (or by nightly: DIR/latest/model.json)",
      cxxopts::value<std::string>())(
      "out", "assignments CSV file, or a directory to write assignments.csv into",
      cxxopts::value<std::string>())("device", "auto, cpu or gpu",
                                     cxxopts::value<std::string>()->default_value("auto"))(
      "threads", "CPU threads (0 = all); results never depend on it",
      cxxopts::value<int>()->default_value("0"));
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const std::string model_path = required_string(r, "model");
  const std::string out = required_string(r, "out");
  const std::vector<std::string> paths = event_paths_from(r);
  IngestOptions ingest = ingest_options_from(r);
  const int threads = r["threads"].as<int>();
  if (threads < 0) throw UsageError("--threads must be >= 0");
  DeviceChoice device = parse_device_choice(r["device"].as<std::string>());

  pipeline::Model model = pipeline::read_model(model_path);
  if (model.source != "events") {
    throw InputError(model_path, 0, "this model was fitted on a feature matrix (segmint "
                                    "cluster), not on events; assign needs a model from run");
  }
  if (ingest.threads == 0) ingest.threads = threads;
  AggregateOptions aggregate = model.aggregate;
  aggregate.threads = threads;
  pipeline::RunRecord rec;
  open_backend(rec, device, threads);
  if (!read_events(rec, paths, ingest, aggregate, {})) return 0;
  if (rec.raw.names != model.feature_catalog) {
    throw InputError(model_path, 0, "the model was built with other features than this segmint "
                                    "computes; rerun `segmint run` to refit it");
  }
  pipeline::scale_with(rec, model.scaler, model.transform);
  pipeline::assign_to_model(rec, model);

  const std::vector<std::int32_t>& labels = rec.seg.fit.labels;
  write_file_atomic(assignments_path(out),
                    pipeline::assignments_csv(rec.row_ids(), labels, rec.seg.fit.distances,
                                              model.names, model.segment_ids));
  std::vector<std::int64_t> sizes = pipeline::segment_sizes(labels, model.k);
  std::string line = "assigned " + std::to_string(labels.size()) + " users:";
  for (int c = 0; c < model.k; ++c) {
    line += " " + std::to_string(pipeline::segment_id(model, c)) + "=" +
            std::to_string(sizes[static_cast<std::size_t>(c)]);
  }
  log_info(line);
  return 0;
}

}  // namespace segmint::cli
