// Device scaler: the column sums and the transform, with the host's fit rules in between.
#include "features/device_scaler.hpp"

#include <algorithm>
#include <vector>

#include "core/transfer.hpp"
#include "cuda_plan/stream_plan.hpp"
#include "features/scale_kernels.hpp"
#include "features/scaler.hpp"

namespace segmint::cuda {
namespace {

/// Whether fit_scaler takes log1p of raw column j under `transform`.
bool log_column(const FeatureMatrix& raw, std::size_t j, const TransformOptions& transform) {
  const FeatureInfo* info = j < raw.names.size() ? find_feature(raw.names[j]) : nullptr;
  return transform.kind == TransformOptions::Kind::log1p_zscore && info && info->log1p;
}

}  // namespace

bool transforms_on_device(const Scaler& scaler) {
  for (std::size_t j = 0; j < scaler.names.size(); ++j) {
    const detail::ColumnScale c = scaler.column(j);
    if (c.clip || c.knots) return false;
  }
  return true;
}

Scaler fit_scaler_on_device(Resources& res, const FeatureMatrix& raw, const float* raw_dev,
                            const TransformOptions& transform) {
  const std::size_t cols = raw.cols, chunk = cuda_plan::kScaleChunkRows;
  const std::size_t chunks = (raw.rows + chunk - 1) / chunk;
  std::vector<std::uint8_t> flags(cols);
  for (std::size_t j = 0; j < cols; ++j) flags[j] = log_column(raw, j, transform) ? 1 : 0;
  const cudaStream_t s = res.compute();
  const std::size_t width = std::max<std::size_t>(cols, 1);
  const std::size_t parts = std::max<std::size_t>(chunks * cols, 1);
  DeviceBuffer<std::uint8_t> lg(width);
  DeviceBuffer<detail::ColumnSums> partial_sums(parts), totals(width);
  DeviceBuffer<double> partial_squares(parts), means(width), squares(width);
  upload_async(lg.get(), flags.data(), cols, s);
  launch_column_sums(raw_dev, raw.rows, cols, lg.get(), chunk, partial_sums.get(), totals.get(),
                     means.get(), s);
  launch_square_sums(raw_dev, raw.rows, cols, lg.get(), means.get(), chunk, partial_squares.get(),
                     squares.get(), s);
  std::vector<detail::ColumnSums> sums(cols);
  std::vector<double> sq(cols);
  download_async(sums.data(), totals.get(), cols, s);
  download(sq.data(), squares.get(), cols, s);  // waits (flags, sums and squares are ours)
  return fit_scaler_with(raw, transform, [&](std::size_t j, bool lg_j) {
    if (lg_j != (flags[j] != 0)) throw RuntimeError("device scaler: log1p flags disagree");
    return ColumnMoments{sums[j].sum, sums[j].lo, sums[j].hi, sq[j]};
  });
}

std::shared_ptr<DeviceMatrix> transform_on_device(Resources& res, const Scaler& scaler,
                                                  const FeatureMatrix& raw, const float* raw_dev) {
  const std::vector<std::size_t> cols = scaler_columns(scaler, raw);
  const std::size_t d = cols.size();
  std::vector<int> source(cols.begin(), cols.end());
  const cudaStream_t s = res.compute();
  const std::size_t width = std::max<std::size_t>(d, 1);
  DeviceBuffer<int> src(width);
  DeviceBuffer<std::uint8_t> lg(width);
  DeviceBuffer<double> mean(width), sd(width), w(width);
  upload_async(src.get(), source.data(), d, s);
  upload_async(lg.get(), scaler.log1p.data(), d, s);
  upload_async(mean.get(), scaler.mean.data(), d, s);
  upload_async(sd.get(), scaler.stddev.data(), d, s);
  // The weight a column's formula applies includes the group balance (Scaler::column).
  std::vector<double> weight(d);
  for (std::size_t j = 0; j < d; ++j) weight[j] = scaler.column(j).weight;
  upload_async(w.get(), weight.data(), d, s);
  auto x = std::make_shared<DeviceMatrix>(res.device(), raw.rows, d);
  const ScaleColumns c{src.get(), lg.get(), mean.get(), sd.get(), w.get()};
  launch_transform(raw_dev, raw.rows, raw.cols, c, d, x->get(), s);
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(s));  // the host vectors and the parameters go now
  return x;
}

}  // namespace segmint::cuda
