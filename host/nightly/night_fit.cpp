// The middle steps of a night: warm start from yesterday, fit, stable ids (tonight's segments
// matched to yesterday's, rows put in id order, matched ones keep their names), and the
// description of tonight's run.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "nightly/fs_ops.hpp"
#include "nightly/night.hpp"

namespace segmint::nightly {
namespace {

// Column means and standard deviations of x (double sums in row order: deterministic).
void column_stats(const FeatureMatrix& x, std::vector<float>& mean, std::vector<float>& spread) {
  std::vector<double> sum(x.cols, 0.0), sq(x.cols, 0.0);
  for (std::size_t i = 0; i < x.rows; ++i) {
    for (std::size_t j = 0; j < x.cols; ++j) sum[j] += x.at(i, j);
  }
  mean.assign(x.cols, 0.0f);
  for (std::size_t j = 0; j < x.cols; ++j) mean[j] = x.rows ? float(sum[j] / double(x.rows)) : 0.f;
  for (std::size_t i = 0; i < x.rows; ++i) {
    for (std::size_t j = 0; j < x.cols; ++j) {
      double dlt = x.at(i, j) - double(mean[j]);
      sq[j] += dlt * dlt;
    }
  }
  spread.assign(x.cols, 1.0f);
  for (std::size_t j = 0; j < x.cols; ++j) {
    double s = x.rows ? std::sqrt(sq[j] / double(x.rows)) : 0.0;
    if (s > 1e-6) spread[j] = float(s);
  }
}

// Centroids (k x d) relative to their night's population: (c - center) / spread per column.
std::vector<float> normalized(std::vector<float> c, const std::vector<float>& center,
                              const std::vector<float>& spread) {
  const std::size_t d = center.size();
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = (c[i] - center[i % d]) / spread[i % d];
  return c;
}

// Reorders `fit` (centroid rows as `match` numbered them; d values each) by stable id:
// centroids moved, labels renumbered. Returns the ids of the new rows.
StableIds reorder_by_ids(KMeansResult& fit, const MatchResult& match, int d) {
  const int k = static_cast<int>(match.ids.size());
  std::vector<int> order(static_cast<std::size_t>(k));  // order[new row] = fitted row
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return match.ids[a] < match.ids[b]; });
  std::vector<int> new_row(static_cast<std::size_t>(k));
  std::vector<float> centroids(fit.centroids.size());
  StableIds out;
  for (int n = 0; n < k; ++n) {
    const int o = order[n];
    new_row[o] = n;
    std::copy(fit.centroids.begin() + std::ptrdiff_t(o) * d,
              fit.centroids.begin() + std::ptrdiff_t(o + 1) * d,
              centroids.begin() + std::ptrdiff_t(n) * d);
    out.ids.push_back(match.ids[o]);
    out.matched_old.push_back(match.matched_old[o]);
    out.distance.push_back(match.distance[o]);
    if (match.matched_old[o] < 0) out.new_rows.push_back(n);
  }
  fit.centroids.swap(centroids);
  for (auto& l : fit.labels) {
    if (l >= 0 && l < k) l = new_row[l];
  }
  return out;
}

// The name each row keeps: yesterday's name of its matched row, or "" (a new segment, named by
// the pipeline's rules without reusing a kept name).
std::vector<std::string> kept_names(const StableIds& stable,
                                    const std::vector<std::string>& old_names) {
  std::vector<std::string> keep(stable.matched_old.size());
  for (std::size_t n = 0; n < keep.size(); ++n) {
    const int o = stable.matched_old[n];
    if (o >= 0 && static_cast<std::size_t>(o) < old_names.size()) keep[n] = old_names[o];
  }
  return keep;
}

std::vector<SegmentRef> refs(const std::vector<int>& ids, const std::vector<std::string>& names) {
  std::vector<SegmentRef> r;
  for (std::size_t i = 0; i < ids.size(); ++i) r.push_back({ids[i], names[i]});
  return r;
}

}  // namespace

void plan_warm_start(Night& n) {
  pipeline::RunRecord& r = n.run;
  r.params = n.o.kmeans;
  column_stats(r.x, n.center, n.spread);
  if (!n.before) return;
  // Yesterday's centroids relative to yesterday's population (see normalized()); after a refit
  // they are first converted into tonight's space and their population is taken as tonight's.
  const NightlyModel& b = *n.before;
  std::vector<float> old_c = b.centroids, old_center = b.center, old_spread = b.spread;
  if (n.refit) {
    old_c = convert_centroids(old_c, b.k, b.scaler, r.scaler, r.raw.cols);
    old_center = convert_centroids(old_center, 1, b.scaler, r.scaler, r.raw.cols);
    old_spread = n.spread;
  }
  n.previous = normalized(old_c, old_center, old_spread);
  KMeansParams& p = r.params;
  if (!n.o.k_given) p.k = b.k;
  if (p.k == b.k && static_cast<int>(r.x.cols) * p.k == int(n.previous.size())) {
    // Warm start where yesterday's groups sit relative to tonight's population.
    p.init = InitMethod::given;
    p.initial_centroids = n.previous;
    for (std::size_t i = 0; i < n.previous.size(); ++i) {
      std::size_t j = i % n.center.size();
      p.initial_centroids[i] = n.previous[i] * n.spread[j] + n.center[j];
    }
    p.n_init = 1;
  }
}

void fit_tonight(Night& n) {
  // The pipeline's size order first: the first night's ids are then exactly `run`'s, and fresh
  // ids on later nights go to bigger new segments first.
  pipeline::fit_kmeans(n.run);
  kill_point("after_kmeans");
}

void match_ids(Night& n) {
  pipeline::RunRecord& r = n.run;
  const int k = r.params.k, d = static_cast<int>(r.x.cols);
  // Stable ids: match tonight's centroids to yesterday's; matched segments keep their names.
  n.match = initial_ids(k);
  if (n.before) {
    PreviousSegments prev{n.previous, n.before->ids, n.before->names};
    n.match = match_segments(prev, normalized(r.seg.fit.centroids, n.center, n.spread), k, d,
                             n.o.match_threshold, n.before->next_id);
  }
  n.stable = reorder_by_ids(r.seg.fit, n.match, d);
  r.segment_ids = n.stable.ids;
  pipeline::profile_segments(r);
  pipeline::give_names(
      r, kept_names(n.stable, n.before ? n.before->names : std::vector<std::string>{}));
  const std::vector<std::int32_t>& rows = r.seg.fit.labels;
  n.labels.resize(rows.size());
  for (std::size_t u = 0; u < rows.size(); ++u) n.labels[u] = n.stable.ids[rows[u]];
  std::vector<SegmentRef> before_refs;
  if (n.before) before_refs = refs(n.before->ids, n.before->names);
  n.migrations =
      count_migrations(before_refs, refs(n.stable.ids, r.seg.names), n.before_labels, n.labels);
}

namespace {
// What changed since yesterday (summary.json "changes").
nlohmann::ordered_json changes_of(const Night& n) {
  const StableIds& st = n.stable;
  nlohmann::ordered_json c;
  c["previous_run"] = n.manifest ? n.manifest->run : "";
  c["scaler"] = n.refit ? "fitted" : "kept";
  c["warm_start"] = n.run.params.init == InitMethod::given;
  c["new_segments"] = nlohmann::json::array();
  for (int row : st.new_rows) c["new_segments"].push_back(st.ids[row]);
  c["vanished_segments"] = n.match.vanished_ids;
  c["match_distances"] = nlohmann::json::array();  // per matched segment, for tuning
  for (std::size_t row = 0; row < st.ids.size(); ++row) {
    if (st.matched_old[row] >= 0) {
      c["match_distances"].push_back({{"segment", st.ids[row]}, {"distance", st.distance[row]}});
    }
  }
  c["migrations"] = migrations_json(n.migrations);
  c["merged_files"] = n.report.merged;
  c["skipped_files"] = n.report.skipped;
  return c;
}
}  // namespace

void describe_night(Night& n) {
  pipeline::RunRecord& r = n.run;
  r.command = "nightly";
  // The model covers every night merged so far (tonight only after --full).
  if (n.before && !n.o.full && n.before->max_time != 0) {
    r.min_time =
        r.counts.max_time == 0 ? n.before->min_time : std::min(r.min_time, n.before->min_time);
    r.max_time = std::max(r.max_time, n.before->max_time);
  }
  r.assess = n.o.quality;
  pipeline::assess_quality(r);
  if (n.o.ranked.traffic) n.o.ranked.traffic(r);
  pipeline::describe(r);
  n.name = run_name(r.as_of);
  r.summary.extra.insert(r.summary.extra.begin(),
                         {{"as_of", std::to_string(r.as_of)},
                          {"run", nlohmann::json(n.name).dump()},
                          {"full", n.o.full ? "true" : "false"},
                          {"changes", changes_of(n).dump()}});
}

}  // namespace segmint::nightly
