// Relabels a k-means result so segment ids depend only on the clusters, not on init order.
#include "profile/segment_order.hpp"

#include <algorithm>
#include <numeric>

namespace segmint::pipeline {

std::vector<std::int64_t> segment_sizes(const std::vector<std::int32_t>& labels, int k) {
  std::vector<std::int64_t> sizes(static_cast<std::size_t>(k), 0);
  for (std::int32_t l : labels) {
    if (l >= 0 && l < k) ++sizes[static_cast<std::size_t>(l)];
  }
  return sizes;
}

std::vector<int> order_segments(KMeansResult& result, int k, int d) {
  std::vector<std::int64_t> sizes = segment_sizes(result.labels, k);
  std::vector<int> order(static_cast<std::size_t>(k));  // order[new] = old
  std::iota(order.begin(), order.end(), 0);
  const float* c = result.centroids.data();
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (sizes[a] != sizes[b]) return sizes[a] > sizes[b];
    const float* ca = c + static_cast<std::size_t>(a) * d;
    const float* cb = c + static_cast<std::size_t>(b) * d;
    for (int j = 0; j < d; ++j) {
      if (ca[j] != cb[j]) return ca[j] < cb[j];
    }
    return a < b;
  });
  std::vector<int> new_id(static_cast<std::size_t>(k));
  std::vector<float> centroids(result.centroids.size());
  for (int n = 0; n < k; ++n) {
    new_id[order[n]] = n;
    std::copy(c + static_cast<std::size_t>(order[n]) * d,
              c + static_cast<std::size_t>(order[n] + 1) * d,
              centroids.begin() + static_cast<std::ptrdiff_t>(n) * d);
  }
  result.centroids.swap(centroids);
  for (auto& l : result.labels) {
    if (l >= 0 && l < k) l = new_id[l];
  }
  return new_id;
}

}  // namespace segmint::pipeline
