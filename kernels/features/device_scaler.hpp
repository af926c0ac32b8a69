// The scale step on the device: fit_scaler's rules (host/features/scaler.hpp fit_scaler_with)
// over column sums computed on the device in fixed chunks, and Scaler::transform's formula
// element-wise on the device. The transformed matrix stays there for k-means.
#pragma once
#include <memory>

#include "core/device_matrix.hpp"
#include "core/resources.hpp"
#include "segmint/features.hpp"

namespace segmint::cuda {

/// The Scaler fit_scaler(raw, transform) would give (same columns, flags and drops; means and
/// standard deviations within rounding), from raw_dev: raw's values on the device. Only for
/// options fits_from_column_sums accepts (host/features/scaler.hpp).
Scaler fit_scaler_on_device(Resources& res, const FeatureMatrix& raw, const float* raw_dev,
                            const TransformOptions& transform);

/// Whether transform_on_device applies this scaler: no winsor clip and no quantile ranks (their
/// parameters are not uploaded; those scalers transform on the host).
bool transforms_on_device(const Scaler& scaler);

/// scaler.transform(raw) on the device, from raw_dev (raw's values there); raw's names pick
/// the columns as on the host.
std::shared_ptr<DeviceMatrix> transform_on_device(Resources& res, const Scaler& scaler,
                                                  const FeatureMatrix& raw, const float* raw_dev);

}  // namespace segmint::cuda
