// BlockFit's Lloyd iterations: per-chunk assignment passes whose partials are added in chunk
// order across the ranks, kmeans::lloyd's empty-cluster repair over the globally farthest rows,
// convergence decided alike on every rank, labels and distances gathered at rank 0.
#include <algorithm>
#include <cmath>

#include "common/omp_guard.hpp"
#include "dist/block_fit.hpp"
#include "dist/comm.hpp"
#include "dist/ordered.hpp"
#include "dist/wire.hpp"
#include "kmeans/cpu_kmeans.hpp"

namespace segmint::dist {

using kmeans::kChunkRows;

std::vector<double> BlockFit::assign_chunks(const float* centroids, int k, std::int32_t* labels,
                                            float* dist_sq, bool totals) const {
  kmeans::CentroidTable table;
  table.load(centroids, k, static_cast<int>(d_));
  const std::size_t kd = static_cast<std::size_t>(k) * d_, stride = kd + k + 2;
  std::vector<double> partial(totals ? chunks() * stride : 0);
  const int nt = kmeans::resolve_threads(params_.threads);
  OmpGuard guard;  // the pass totals allocate: bad_alloc leaves the region, then is rethrown
#pragma omp parallel for schedule(dynamic, 1) num_threads(kmeans::team_size(rows(), nt))
  for (std::size_t ch = 0; ch < chunks(); ++ch) guard.run([&] {
    // One chunk per call: its totals are exactly the chunk's partials (0.0 + p).
    const std::size_t b = ch * kChunkRows, e = std::min(rows(), b + kChunkRows);
    const MatrixView xv{x_.data() + b * d_, e - b, d_};
    kmeans::PassTotals t;
    kmeans::assign_pass(xv, w() ? w() + b : nullptr, table, labels + b,
                        dist_sq ? dist_sq + b : nullptr, totals ? &t : nullptr, 1);
    if (!totals) return;
    double* p = partial.data() + ch * stride;
    std::copy(t.sums.begin(), t.sums.end(), p);
    std::copy(t.weights.begin(), t.weights.end(), p + kd);
    p[kd + k] = t.inertia;
    p[kd + k + 1] = static_cast<double>(t.changed);
  });
  guard.rethrow();
  return totals ? ordered_total(partial, stride) : std::vector<double>{};
}

void BlockFit::label_distances(const float* centroids, int k, const std::int32_t* labels,
                               float* dist_sq) const {
  kmeans::CentroidTable table;
  table.load(centroids, k, static_cast<int>(d_));
  kmeans::label_distances(view(), table, labels, dist_sq, kmeans::resolve_threads(params_.threads));
}

void BlockFit::repair_empty(int k, const float* dist_sq, std::int32_t* labels,
                            std::vector<double>& sums, std::vector<double>& weights) const {
  std::vector<int> empty;
  for (int c = 0; c < k; ++c)
    if (weights[c] <= 0) empty.push_back(c);
  if (empty.empty()) return;
  // Candidates: each rank's `want` farthest rows, merged into the global order (farther
  // first, ties to the lower row) whose first `want` entries one process would visit.
  struct Cand {
    float dist, w;
    std::int32_t label, unused;
    std::uint64_t row;
  };
  auto farther = [](const Cand& a, const Cand& b) {
    return a.dist != b.dist ? a.dist > b.dist : a.row < b.row;
  };
  std::size_t want = std::min(n_, empty.size() * 4 + 16), next = 0;
  std::vector<Cand> order;
  auto collect = [&]() {
    std::vector<Cand> mine;
    for (std::size_t i = 0; i < rows(); ++i) {
      mine.push_back({dist_sq[i], w() ? w()[i] : 1.f, labels[i], 0, row_lo_ + i});
    }
    const std::size_t m = std::min(want, mine.size());
    std::partial_sort(mine.begin(), mine.begin() + m, mine.end(), farther);
    Writer wr;
    wr.put_array(mine.data(), m);
    order.clear();
    for (const std::string& b : all_gather(wr.bytes)) {
      const std::size_t at = order.size();
      order.resize(at + b.size() / sizeof(Cand));
      Unpacker(b).get_array(order.data() + at, b.size() / sizeof(Cand));
    }
    std::sort(order.begin(), order.end(), farther);
    order.resize(std::min(order.size(), want));
  };
  collect();
  for (int e : empty) {
    for (;; ++next) {
      if (next == order.size()) {
        if (want == n_) return;  // nothing left to move
        want = std::min(n_, want * 2);
        collect();
        if (next == order.size()) return;
      }
      const std::uint64_t row = order[next].row;
      const int old = order[next].label;  // rows already visited are never visited again
      const double wi = order[next].w;
      if (wi <= 0 || weights[old] - wi <= 0) continue;
      const std::vector<float> xi = fetch_rows({static_cast<std::size_t>(row)});
      for (std::size_t j = 0; j < d_; ++j) {
        sums[old * d_ + j] -= wi * xi[j];
        sums[e * d_ + j] = wi * xi[j];
      }
      weights[old] -= wi;
      weights[e] = wi;
      if (row >= row_lo_ && row < row_hi_) labels[row - row_lo_] = e;
      ++next;
      break;
    }
  }
}

KMeansResult BlockFit::lloyd(std::vector<float> centroids, double tol) {
  const int k = params_.k, d = static_cast<int>(d_);
  const std::size_t kd = static_cast<std::size_t>(k) * d_;
  std::vector<std::int32_t> labels(rows(), -1);
  std::vector<float> dist_sq(rows()), next(centroids.size());
  bool strict = false, converged = false;
  bool have_dist = false;  // dist_sq holds the last pass's distances (as kmeans::lloyd)
  int it = 0;
  while (it < params_.max_iter) {
    ++it;
    // No distances in the loop (the screen settles most rows without one); only an empty
    // cluster needs them. The weights are global totals, so every rank decides alike.
    const std::vector<double> t = assign_chunks(centroids.data(), k, labels.data(), nullptr, true);
    std::vector<double> sums(t.begin(), t.begin() + kd),
        weights(t.begin() + kd, t.begin() + kd + k);
    const auto changed = static_cast<std::size_t>(t[kd + k + 1]);
    have_dist = std::any_of(weights.begin(), weights.end(), [](double v) { return v <= 0; });
    if (have_dist) {
      label_distances(centroids.data(), k, labels.data(), dist_sq.data());
      repair_empty(k, dist_sq.data(), labels.data(), sums, weights);
    }
    double shift = 0;
    for (int c = 0; c < k; ++c) {
      const double wc = weights[c];
      for (int j = 0; j < d; ++j) {
        const std::size_t q = static_cast<std::size_t>(c) * d + j;
        next[q] = wc > 0 ? static_cast<float>(sums[q] / wc) : centroids[q];
        const double delta = static_cast<double>(next[q]) - centroids[q];
        shift += delta * delta;
      }
    }
    centroids.swap(next);
    if (changed == 0) {
      strict = converged = true;
      break;
    }
    if (shift <= tol) {
      converged = true;
      break;
    }
  }
  if (!strict) {
    assign_chunks(centroids.data(), k, labels.data(), dist_sq.data(), false);
  } else if (!have_dist) {  // the last pass's centroids: `next` after the swap
    label_distances(next.data(), k, labels.data(), dist_sq.data());
  }
  // kmeans::weighted_sum of the squared distances, one partial per chunk.
  std::vector<double> partial(chunks(), 0.0);
  for (std::size_t ch = 0; ch < chunks(); ++ch) {
    const std::size_t b = ch * kChunkRows, e = std::min(rows(), b + kChunkRows);
    partial[ch] = kmeans::weighted_sum(dist_sq.data() + b, w() ? w() + b : nullptr, e - b, 1);
  }
  KMeansResult out;
  out.inertia = ordered_total(partial, 1)[0];
  for (float& v : dist_sq) v = std::sqrt(v);
  gather_result(labels, dist_sq, out);
  out.centroids = std::move(centroids);
  out.iterations = it;
  out.converged = converged;
  return out;
}

void BlockFit::gather_result(const std::vector<std::int32_t>& labels,
                             const std::vector<float>& dist, KMeansResult& out) const {
  constexpr std::size_t kPerRound = std::size_t(1) << 20;
  if (is_root()) {
    out.labels.assign(n_, -1);
    out.distances.assign(n_, 0.f);
  }
  for (std::size_t from = 0;; from += kPerRound) {
    const std::size_t b = std::min(rows(), from), e = std::min(rows(), from + kPerRound);
    Writer w;
    w.put(static_cast<std::uint64_t>(row_lo_ + b));
    w.put_array(labels.data() + b, e - b);
    w.put_array(dist.data() + b, e - b);
    for (const std::string& m : gather(w.bytes)) {
      Unpacker u(m);
      const auto at = u.get<std::uint64_t>();
      const std::size_t cnt =
          (m.size() - sizeof(std::uint64_t)) / (sizeof(std::int32_t) + sizeof(float));
      u.get_array(out.labels.data() + at, cnt);
      u.get_array(out.distances.data() + at, cnt);
    }
    if (sum(e < rows() ? 1 : 0) == 0) break;
  }
}

}  // namespace segmint::dist
