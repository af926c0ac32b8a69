// The write step of run, cluster and nightly: render every file, commit model.json last.
#include "outputs/run_outputs.hpp"

#include "common/stopwatch.hpp"

namespace segmint::pipeline {

void write_segmentation(const std::string& dir, const std::vector<std::string>& ids,
                        const Segmentation& seg, const Model& model, Summary summary,
                        const std::vector<std::pair<std::string, std::string>>& more) {
  Stopwatch watch;
  std::string assignments = assignments_csv(ids, seg.fit.labels, seg.fit.distances, seg.names,
                                            model.segment_ids);
  std::string centroids = centroids_csv(seg.profiles, seg.names, model.segment_ids);
  std::string model_text = model_to_json(model);
  std::vector<std::pair<std::string, std::string>> files = {{"assignments.csv", assignments},
                                                            {"centroids.csv", centroids}};
  files.insert(files.end(), more.begin(), more.end());
  commit_outputs(dir, files);
  if (summary.segment_ids.empty()) summary.segment_ids = model.segment_ids;
  summary.timings_ms.emplace_back("write", watch.lap());
  commit_outputs(dir, {{"summary.json", summary_json(summary)}, {"model.json", model_text}});
}

}  // namespace segmint::pipeline
