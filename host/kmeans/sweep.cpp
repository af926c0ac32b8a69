// sweep_k: one fit per k, then silhouette, Davies-Bouldin and Calinski-Harabasz on its labels.
#include "kmeans/sweep.hpp"

#include <string>

#include "common/log.hpp"
#include "segmint/error.hpp"

namespace segmint {

SweepResult sweep_k(Backend& backend, MatrixView x, const float* weights, int k_lo, int k_hi,
                    const KMeansParams& base, const metrics::SilhouetteOptions& silhouette) {
  if (k_lo < 2 || k_hi < k_lo)
    throw UsageError("sweep: the k range must be LO..HI with 2 <= LO <= HI");
  SweepResult out;
  out.silhouette_sampled = x.rows > silhouette.exact_limit && silhouette.sample_size < x.rows;
  double best = -2;
  for (int k = k_lo; k <= k_hi; ++k) {
    KMeansParams p = base;
    p.k = k;
    const KMeansResult fit = backend.kmeans(x, weights, p);
    SweepRow row;
    row.k = k;
    row.inertia = fit.inertia;
    row.iterations = fit.iterations;
    // A fit can use fewer than k clusters only on degenerate data; the metrics need >= 2.
    row.silhouette = metrics::silhouette(x, fit.labels.data(), silhouette);
    row.davies_bouldin = metrics::davies_bouldin(x, fit.labels.data(), p.threads);
    row.calinski_harabasz = metrics::calinski_harabasz(x, fit.labels.data(), p.threads);
    if (row.silhouette > best) {
      best = row.silhouette;
      out.recommended_k = k;
    }
    log_info("sweep: k = " + std::to_string(k) + " done");
    out.rows.push_back(row);
  }
  return out;
}

}  // namespace segmint
