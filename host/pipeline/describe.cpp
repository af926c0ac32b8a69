// The last steps of the run record: describe (model.json and summary.json from the record) and
// write (every output file, atomically).
#include "outputs/run_outputs.hpp"
#include "pipeline/run_record.hpp"
#include "profile/naming.hpp"
#include "profile/segment_order.hpp"

namespace segmint::pipeline {
namespace {

void describe_model(const RunRecord& r, Model& m) {
  const Segmentation& seg = r.seg;
  m = Model();
  m.source = r.source;
  m.feature_catalog = r.raw.names;
  m.transform = r.transform;
  m.scaler = r.scaler;
  m.k = static_cast<int>(seg.names.size());
  m.d = static_cast<int>(r.x.cols);
  m.centroids = seg.fit.centroids;
  m.names = seg.names;
  m.segment_ids = r.segment_ids;
  m.sizes = segment_sizes(seg.fit.labels, m.k);
  m.seed = r.params.seed;
  m.inertia = seg.fit.inertia;
  m.as_of = r.as_of;
  m.min_time = r.min_time;
  m.max_time = r.max_time;
  m.aggregate = r.aggregate;
  m.weight_by = r.weight_by;
}

void describe_summary(const RunRecord& r, const Model& m, Summary& s) {
  const Segmentation& seg = r.seg;
  s = Summary();
  s.command = r.command;
  s.events = r.counts.events;
  s.users = r.raw.rows;
  s.bad_rows = r.counts.bad_rows;
  s.rows_without_user = r.counts.rows_without_user;
  s.k = m.k;
  s.inertia = seg.fit.inertia;
  s.iterations = seg.fit.iterations;
  s.converged = seg.fit.converged;
  s.device = r.device.name;
  s.device_detail = r.device.description;
  s.device_fallback_reason = r.device.fallback_reason;
  s.features_used = r.scaler.names;
  s.dropped_constant = r.scaler.dropped_constant;
  s.segment_names = seg.names;
  s.segment_sizes = m.sizes;
  s.segment_ids = r.segment_ids;
  for (const SegmentProfile& sp : seg.profiles.segments) {
    s.segment_traits.push_back(top_traits(seg.profiles, sp, 3));
  }
  s.timings_ms = r.timings;
}

}  // namespace

void describe(RunRecord& r) {
  describe_model(r, r.model);
  describe_summary(r, r.model, r.summary);
}

void write_run(RunRecord& r, const std::string& dir) {
  write_segmentation(dir, r.row_ids(), r.seg, r.model, r.summary);
}

}  // namespace segmint::pipeline
