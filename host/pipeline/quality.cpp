// assess_quality: summary.json's quality section. Over the users the fit saw: cohesion,
// separation and boundary share (kmeans/segment_quality), silhouette on a sample, and stability
// = ARI between k-means fits on two random halves, both labelling the same users. Samples are
// drawn per row with a counter-based hash of (seed, row), so they do not depend on thread count.
#include <algorithm>

#include "common/stopwatch.hpp"
#include "kmeans/metrics.hpp"
#include "kmeans/segment_quality.hpp"
#include "pipeline/heavy_users.hpp"
#include "pipeline/run_record.hpp"
#include "segmint/detail/rng.hpp"

namespace segmint::pipeline {
namespace {

constexpr double kSilhouetteSample = 4000;  ///< expected rows of the silhouette sample
constexpr double kStabilityHalf = 50000;    ///< expected rows of each stability half (at most)
constexpr std::uint64_t kSilhouetteStream = 0x73696C;
constexpr std::uint64_t kStabilityStream = 0x737461;

/// Rows of f whose draw is below `share`; with `half`, rows below share / 2 go to a (else b).
FeatureMatrix sample(const FitRows& f, std::uint64_t seed, std::uint64_t stream, double share,
                     std::vector<std::size_t>* picked = nullptr) {
  FeatureMatrix s;
  s.cols = f.x.cols;
  for (std::size_t i = 0; i < f.x.rows; ++i) {
    if (detail::hash_uniform(seed, stream, f.rows[i]) >= share) continue;
    if (picked) picked->push_back(i);
    s.values.insert(s.values.end(), f.x.values.begin() + std::ptrdiff_t(i * s.cols),
                    f.x.values.begin() + std::ptrdiff_t((i + 1) * s.cols));
    ++s.rows;
  }
  return s;
}

/// Stability: halves drawn from the fit rows, fitted separately, both labelling both halves.
void stability(RunRecord& r, const FitRows& f, Quality& q) {
  const double share = std::min(1.0, 2 * kStabilityHalf / static_cast<double>(f.x.rows));
  std::vector<std::size_t> rows;
  const FeatureMatrix all = sample(f, r.params.seed, kStabilityStream, share, &rows);
  FitRows half[2];
  for (int h = 0; h < 2; ++h) half[h].x.cols = all.cols;
  for (std::size_t i = 0; i < all.rows; ++i) {
    const int h = detail::hash_uniform(r.params.seed, kStabilityStream, f.rows[rows[i]]) < share / 2 ? 0 : 1;
    FitRows& t = half[h];
    t.x.values.insert(t.x.values.end(), all.values.begin() + std::ptrdiff_t(i * all.cols),
                      all.values.begin() + std::ptrdiff_t((i + 1) * all.cols));
    if (!f.weights.empty()) t.weights.push_back(f.weights[rows[i]]);
    ++t.x.rows;
  }
  if (half[0].x.rows < static_cast<std::size_t>(r.params.k) ||
      half[1].x.rows < static_cast<std::size_t>(r.params.k)) {
    return;
  }
  std::vector<std::int32_t> labels[2];
  std::vector<float> distances(all.rows);
  for (int h = 0; h < 2; ++h) {
    KMeansParams p = r.params;
    p.seed = detail::mix64(r.params.seed + 0x5AB1E + static_cast<std::uint64_t>(h));
    const float* w = half[h].weights.empty() ? nullptr : half[h].weights.data();
    const KMeansResult fit = r.backend->kmeans(half[h].x.view(), w, p);
    labels[h].resize(all.rows);
    r.backend->assign(all.view(), fit.centroids.data(), p.k, labels[h].data(), distances.data());
  }
  q.stability = metrics::adjusted_rand_index(labels[0], labels[1]);
  q.has_stability = true;
  q.stability_users = all.rows;
}

void silhouette(const RunRecord& r, const FitRows& f, const std::vector<std::int32_t>& labels,
                Quality& q) {
  std::vector<std::size_t> rows;
  const double share = std::min(1.0, kSilhouetteSample / static_cast<double>(f.x.rows));
  const FeatureMatrix s = sample(f, r.params.seed, kSilhouetteStream, share, &rows);
  std::vector<std::int32_t> l;
  for (std::size_t i : rows) l.push_back(labels[i]);
  std::vector<std::int32_t> distinct = l;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  q.silhouette_sample = s.rows;
  if (distinct.size() < 2 || distinct.size() >= s.rows) return;
  metrics::SilhouetteOptions o;
  o.exact_limit = s.rows;  // the sample is drawn here
  o.threads = r.params.threads;
  q.silhouette = metrics::silhouette(s.view(), l.data(), o);
  q.has_silhouette = true;
}

/// solid / fair / shaky from stability and boundary share (docs/QUALITY.md).
std::string verdict(const Quality& q) {
  if (!q.has_stability) return "unknown";
  if (q.stability >= 0.9 && q.boundary_share <= 0.2) return "solid";
  if (q.stability >= 0.75) return "fair";
  return "shaky";
}

}  // namespace

void assess_quality(RunRecord& r) {
  r.quality = Quality();
  if (!r.assess || !r.backend || r.seg.fit.labels.empty()) return;
  Stopwatch watch;
  const FitRows f = fit_rows(r);
  std::vector<std::int32_t> labels;
  for (std::size_t i : f.rows) labels.push_back(r.seg.fit.labels[i]);
  Quality& q = r.quality;
  q.computed = true;
  q.users = f.x.rows;
  const metrics::SegmentSpread s = metrics::segment_spread(
      f.x.view(), labels.data(), r.seg.fit.centroids.data(), r.params.k, q.boundary_ratio,
      r.params.threads);
  q.boundary_share = s.boundary_share_all;
  for (std::size_t c = 0; c < s.cohesion.size(); ++c) {
    q.segments.push_back({s.cohesion[c], s.separation[c], s.boundary_share[c]});
  }
  silhouette(r, f, labels, q);
  stability(r, f, q);
  q.verdict = verdict(q);
  add_timing(r, "quality", watch.lap());
}

}  // namespace segmint::pipeline
