// Steps run, cluster and assign share on the CLI side: choosing the backend (and saying which),
// loading --init, per-user weights.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "outputs/outputs.hpp"

namespace segmint::cli {

/// The factory's options from --device, --threads and --gpu-memory.
BackendOptions backend_options(const KMeansCliOptions& options);

/// make_backend for --device/--threads/--gpu-memory; logs the choice (and why auto fell back to the CPU)
/// and records it in `summary` when given.
std::unique_ptr<Backend> open_backend(const KMeansCliOptions& options,
                                      pipeline::Summary* summary);

/// Applies --init FILE (when given) to options.params: centroids over scaler.names, k from the
/// file. values_as_is: --transform none.
void apply_init_file(KMeansCliOptions& options, const Scaler& scaler,
                     const std::vector<std::string>& raw_names, bool values_as_is);

/// Fits the scaler on raw features (into *scaler), logs the constant columns it left out and
/// returns the matrix k-means sees.
FeatureMatrix scale_features(const FeatureMatrix& raw, const TransformOptions& transform,
                             Scaler* scaler);

/// --weight-by: per-user weights from a raw column; empty when unweighted.
std::vector<float> weights_for(const KMeansCliOptions& options, const FeatureMatrix& raw);

}  // namespace segmint::cli
