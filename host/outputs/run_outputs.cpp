// The output step of run/cluster: render every file, commit model.json last.
#include "outputs/run_outputs.hpp"
#include "common/stopwatch.hpp"

#include "profile/naming.hpp"
#include "profile/segment_order.hpp"

namespace segmint::pipeline {

void describe_segmentation(const Segmentation& seg, int d, Model& model, Summary& summary) {
  const int k = static_cast<int>(seg.names.size());
  model.k = k;
  model.d = d;
  model.centroids = seg.fit.centroids;
  model.names = seg.names;
  model.sizes = segment_sizes(seg.fit.labels, k);
  model.inertia = seg.fit.inertia;
  summary.k = k;
  summary.inertia = seg.fit.inertia;
  summary.iterations = seg.fit.iterations;
  summary.converged = seg.fit.converged;
  summary.segment_names = seg.names;
  summary.segment_sizes = model.sizes;
  summary.segment_traits.clear();
  for (const SegmentProfile& sp : seg.profiles.segments) {
    summary.segment_traits.push_back(top_traits(seg.profiles, sp, 3));
  }
}

void write_segmentation(const std::string& dir, const std::vector<std::string>& ids,
                        const Segmentation& seg, const Model& model, Summary summary) {
  Stopwatch watch;
  std::string assignments = assignments_csv(ids, seg.fit.labels, seg.fit.distances, seg.names,
                                            model.segment_ids);
  std::string centroids = centroids_csv(seg.profiles, seg.names, model.segment_ids);
  std::string model_text = model_to_json(model);
  commit_outputs(dir, {{"assignments.csv", assignments}, {"centroids.csv", centroids}});
  if (summary.segment_ids.empty()) summary.segment_ids = model.segment_ids;
  summary.timings_ms.emplace_back("write", watch.lap());
  commit_outputs(dir, {{"summary.json", summary_json(summary)}, {"model.json", model_text}});
}

}  // namespace segmint::pipeline
