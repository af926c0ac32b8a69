// The device feature stage on a given Resources (the CUDA backend passes its own): events in,
// raw feature matrix out (with its device copy). compute_features_gpu (backends/cuda_entry.hpp)
// is this on a Resources of its own.
#pragma once
#include <cstdint>

#include "backends/cuda_entry.hpp"
#include "core/resources.hpp"

namespace segmint::cuda {

/// As compute_features_gpu(source, ...), on res's device, compute stream and copy streams.
FeatureMatrix compute_features(Resources& res, EventSource& source,
                               const AggregateOptions& aggregate, const FeatureOptions& features,
                               const GpuFeatureOptions& options, GpuFeatureTimes* times,
                               std::int64_t* as_of_used);

}  // namespace segmint::cuda
