// Lloyd iterations with scikit-learn's semantics: relative tol on the squared centroid shift,
// strict convergence when no label changes, empty clusters re-seeded with far points, and a
// final relabel so labels, distances and inertia refer to the returned centroids.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "common/huge_pages.hpp"
#include "common/progress.hpp"
#include "kmeans/bounds.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "segmint/cancel.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::kmeans {

namespace {

// Moves the farthest rows (largest squared distance to their centroid; ties to the lower row)
// into the empty clusters, adjusting the sums as scikit-learn does. A row is never taken from
// a cluster it would leave empty, and rows of weight 0 cannot fill a cluster.
void repair_empty(MatrixView x, const float* w, int k, const float* dist_sq, std::int32_t* labels,
                  PassTotals& t) {
  std::vector<int> empty;
  for (int c = 0; c < k; ++c)
    if (t.weights[c] <= 0) empty.push_back(c);
  if (empty.empty()) return;
  const std::size_t n = x.rows, d = x.cols;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto farther = [&](std::size_t a, std::size_t b) {
    return dist_sq[a] != dist_sq[b] ? dist_sq[a] > dist_sq[b] : a < b;
  };
  // Enough candidates for every empty cluster even when some are skipped; grow if needed.
  std::size_t want = std::min(n, empty.size() * 4 + 16);
  std::size_t next = 0;
  std::partial_sort(order.begin(), order.begin() + want, order.end(), farther);
  for (int e : empty) {
    for (;; ++next) {
      if (next == want) {
        if (want == n) return;  // nothing left to move (fewer usable rows than clusters)
        std::size_t grown = std::min(n, want * 2);
        std::partial_sort(order.begin() + want, order.begin() + grown, order.end(), farther);
        want = grown;
      }
      const std::size_t i = order[next];
      const double wi = w ? w[i] : 1.0;
      const int old = labels[i];
      if (wi <= 0 || t.weights[old] - wi <= 0) continue;
      const float* xi = x.row(i);
      for (std::size_t j = 0; j < d; ++j) {
        t.sums[old * d + j] -= wi * xi[j];
        t.sums[e * d + j] = wi * xi[j];
      }
      t.weights[old] -= wi;
      t.weights[e] = wi;
      labels[i] = e;
      ++next;
      break;
    }
  }
}

/// The k-means progress line: "iteration 12 of at most 300, inertia 125818".
void show_iteration(int it, int max_iter, double inertia) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "iteration %d of at most %d, inertia %.6g", it, max_iter, inertia);
  progress::update("k-means", buf, it, max_iter);
}

}  // namespace

bool lloyd(MatrixView x, const float* w, int k, std::vector<float> centroids,
           const KMeansParams& params, double tol, KMeansResult& out, float check_limit) {
  const std::size_t n = x.rows;
  const int d = static_cast<int>(x.cols);
  // The passes stream these with x: huge pages where the kernel has them (common/huge_pages),
  // faulted in by the pass's threads.
  const int team = team_size(n, params.threads);
  std::vector<std::int32_t> labels = huge_vector<std::int32_t>(n, -1, team);
  std::vector<float> dist_sq = huge_vector<float>(n, 0.f, team);
  std::vector<float> next(centroids.size());
  CentroidTable table;
  PassTotals totals;
  bool strict = false, converged = false;
  bool have_dist = false;  // dist_sq holds the last pass's distances (taken before any repair)
  // Hamerly bounds (kmeans/bounds.hpp): rows they prove skip the screen, same results. Settling
  // bounds are allocated when they start; their first pass refreshes every row.
  const BoundsStart start = row_bounds_start(k, d);
  bool use_bounds = start == BoundsStart::at_once;
  // The upper bounds live in dist_sq (RowBounds): 4 MB less to fault in at 1M rows (~1 ms here).
  RowBounds bounds(use_bounds ? n : 0, k, d, dist_sq.data());
  std::vector<ExactChunk> exact;  // BoundArgs::exact_chunks, from the first bounded pass
  std::size_t last_changed = n;   // labels the last pass changed (reuse_sums_pays)
  std::vector<std::size_t>& skipped = last_skipped_rows();
  skipped.clear();
  // The last pass proved most rows: the next one screens in float (BoundArgs::float_screen).
  auto mostly_proven = [&] { return !skipped.empty() && float_screen_pays(skipped.back(), n); };
  int it = 0;
  while (it < params.max_iter) {
    throw_if_cancelled();
    ++it;
    table.load(centroids.data(), k, d);
    // No distances in the loop: the screen settles most rows without one. Only an empty
    // cluster needs them (its repair takes the farthest rows).
    BoundArgs bargs = bounds.args();  // the first pass's: no shift, every row loaded
    // totals.partial holds the last pass's sums wherever the bounds shift: a repair, which moves
    // rows without them, invalidates the bounds, and so does a fresh start (settling).
    bargs.reuse_sums = bargs.shift && reuse_sums_pays(last_changed, n, k);
    bargs.float_screen = mostly_proven();
    // Exact chunks move rows in place (unit weights) where few labels move; each chunk is
    // judged by the first bounded pass that may, once per fit (x does not change).
    const bool moves = use_bounds && !w && exact_sums_enabled() && exact_moves_pay(last_changed, n);
    if (moves && exact.empty()) exact.resize(chunk_count(n));
    bargs.exact_chunks = moves ? exact.data() : nullptr;
    RangeCheck check;
    check.limit = check_limit;
    const bool checking = it == 1 && check_limit > 0;
    assign_pass(x, w, table, labels.data(), nullptr, &totals, params.threads,
                use_bounds ? &bargs : nullptr, checking ? &check : nullptr);
    if (checking && check.failed.load()) return false;
    skipped.push_back(totals.skipped);
    last_changed = totals.changed;
    have_dist =
        std::any_of(totals.weights.begin(), totals.weights.end(), [](double v) { return v <= 0; });
    if (have_dist) {
      label_distances(x, table, labels.data(), dist_sq.data(), params.threads);
      repair_empty(x, w, k, dist_sq.data(), labels.data(), totals);
      bounds.invalidate();  // rows moved (totals adjusted, not the partials): no shift, no reuse
    }
    if (!use_bounds && start == BoundsStart::settling && totals.changed * kSettlingShare <= n) {
      use_bounds = true;
      bounds = RowBounds(n, k, d, dist_sq.data());
    }
    double shift = 0;
    for (int c = 0; c < k; ++c) {
      const double wc = totals.weights[c];
      for (int j = 0; j < d; ++j) {
        const std::size_t q = static_cast<std::size_t>(c) * d + j;
        // A cluster still empty (no usable row to move) keeps its centroid.
        next[q] = detail::updated_centroid(totals.sums[q], wc, centroids[q]);
        shift += detail::squared_shift(next[q], centroids[q]);
      }
    }
    if (use_bounds) bounds.shift(centroids.data(), next.data());
    centroids.swap(next);
    if (progress::due("k-means")) show_iteration(it, params.max_iter, totals.inertia);
    if (totals.changed == 0) {
      strict = converged = true;  // same labels as the previous pass, hence same centroids
      break;
    }
    if (shift <= tol) {
      converged = true;
      break;
    }
  }
  if (!strict || !have_dist) {
    // The labels for the final centroids (strict: the pass's stand), their distances and the
    // inertia in one pass. With bounds, they still prove most rows (the loop's next pass would
    // have skipped them); the rows they prove get the distance a full pass gives them.
    if (!strict) table.load(centroids.data(), k, d);
    const bool bounded = use_bounds && !strict;
    BoundArgs bargs = bounded ? bounds.args() : BoundArgs{};
    bargs.float_screen = mostly_proven();
    out.inertia = final_pass(x, w, table, labels.data(), dist_sq.data(), !strict,
                             bounded ? &bargs : nullptr, params.threads);
  } else {  // the last pass's distances, taken before its repair
    out.inertia = weighted_sum(dist_sq.data(), w, n, params.threads);
    float* dist = dist_sq.data();  // the distances replace the squares in place
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team)
    for (std::size_t i = 0; i < n; ++i) dist[i] = std::sqrt(dist[i]);
  }
  last_exact_chunks() = static_cast<std::size_t>(std::count_if(
      exact.begin(), exact.end(), [](const ExactChunk& e) { return e.state == kExactYes; }));
  out.distances = std::move(dist_sq);
  out.labels = std::move(labels);
  out.centroids = std::move(centroids);
  out.iterations = it;
  out.converged = converged;
  return true;
}

}  // namespace segmint::kmeans
