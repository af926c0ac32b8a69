// Clusters six points into two groups with the installed segmint's CPU backend.
#include <cstdio>
#include <memory>

#include "segmint/backend.hpp"

int main() {
  segmint::FeatureMatrix x;
  x.rows = 6;
  x.cols = 2;
  x.values = {0, 0, 0.1f, 0, 0, 0.1f, 5, 5, 5.1f, 5, 5, 5.1f};
  segmint::KMeansParams params;
  params.k = 2;
  params.seed = 1;
  std::unique_ptr<segmint::Backend> cpu = segmint::make_cpu_backend(1);
  segmint::KMeansResult r = cpu->kmeans(x.view(), nullptr, params);
  const bool split = r.labels[0] == r.labels[1] && r.labels[1] == r.labels[2] &&
                     r.labels[3] == r.labels[4] && r.labels[4] == r.labels[5] &&
                     r.labels[0] != r.labels[3];
  std::printf("segmint consumer: %s\n", split ? "two segments" : "wrong segments");
  return split ? 0 : 1;
}
