// The write step of run, cluster and nightly: render every file, then commit them as one unit
// (run, cluster) or into a staged directory committed whole (nightly).
#include "outputs/run_outputs.hpp"

#include "common/stopwatch.hpp"
#include "outputs/output_dir.hpp"

namespace segmint::pipeline {

using Files = std::vector<std::pair<std::string, std::string>>;

Files render_segmentation(const std::vector<std::string>& ids, const Segmentation& seg,
                          const Model& model, Summary summary, const Files& more) {
  Stopwatch watch;
  std::string assignments = assignments_csv(ids, seg.fit.labels, seg.fit.distances, seg.names,
                                            model.segment_ids);
  std::string centroids = centroids_csv(seg.profiles, seg.names, model.segment_ids);
  std::string model_text = model_to_json(model);
  if (summary.segment_ids.empty()) summary.segment_ids = model.segment_ids;
  summary.timings_ms.emplace_back("write", watch.lap());
  Files files = {{"assignments.csv", std::move(assignments)},
                 {"centroids.csv", std::move(centroids)}};
  files.insert(files.end(), more.begin(), more.end());
  files.emplace_back("summary.json", summary_json(summary));
  files.emplace_back("model.json", std::move(model_text));
  return files;
}

void write_segmentation(const std::string& dir, const std::vector<std::string>& ids,
                        const Segmentation& seg, const Model& model, Summary summary,
                        const Files& more) {
  commit_as_unit(dir, render_segmentation(ids, seg, model, std::move(summary), more));
}

void write_segmentation_files(const std::string& staged, const std::vector<std::string>& ids,
                              const Segmentation& seg, const Model& model, Summary summary,
                              const Files& more) {
  commit_outputs(staged, render_segmentation(ids, seg, model, std::move(summary), more));
}

}  // namespace segmint::pipeline
