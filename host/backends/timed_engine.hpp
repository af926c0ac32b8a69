// A k-means engine wrapper that adds each step's wall time and the engine's explicit copies to a
// DeviceStageReport (the CUDA backend's summary.json "device_stages").
#pragma once
#include <memory>

#include "backends/kmeans_driver.hpp"
#include "segmint/backend.hpp"

namespace segmint {

/// Wraps `inner`: every step's time goes to report "kmeans"; prepare() counts the upload of x
/// (and weights) unless x carries a device copy, lloyd() the download of labels and distances.
/// `report` must outlive the engine.
std::unique_ptr<KMeansEngine> make_timed_engine(std::unique_ptr<KMeansEngine> inner,
                                                DeviceStageReport& report);

}  // namespace segmint
