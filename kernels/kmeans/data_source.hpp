// The feature matrix as the device sees it: resident in device memory, or streamed in tiles (two
// device buffers in flight: the copy of tile t+1 overlaps compute on tile t). Streamed tiles are
// copied straight from the caller's matrix, page-locked in place (cudaHostRegister), with no host
// wait; where registering fails, through two pinned buffers filled by a parallel copy. A buffer
// that still holds its tile is not copied again. Tiles are whole chunks, so per-chunk partials,
// and hence results, do not depend on tiling.
#pragma once
#include <cstdint>
#include <vector>

#include "cuda_plan/kmeans_plan.hpp"
#include "core/resources.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "segmint/matrix.hpp"

namespace segmint::cuda {

class DataSource {
 public:
  /// Uploads x (resident) or prepares the staging buffers (streamed). weights: n or nullptr.
  /// `on_device`: x's values already in device memory (the feature stage's scaled matrix); a
  /// resident plan then reads them there instead of uploading x.
  DataSource(Resources& res, MatrixView x, const float* weights, const cuda_plan::MemoryPlan& plan,
             const float* on_device = nullptr);
  ~DataSource();
  DataSource(const DataSource&) = delete;
  DataSource& operator=(const DataSource&) = delete;

  std::size_t rows() const { return x_.rows; }
  int cols() const { return static_cast<int>(x_.cols); }
  bool resident() const { return plan_.resident; }
  /// Whether x was taken from device memory (no upload).
  bool borrowed() const { return resident_x_ != nullptr && dev_[0].size() == 0; }
  /// True when streamed tiles are copied from the caller's (registered) matrix directly.
  bool registered() const { return registered_; }
  const float* device_weights() const { return weights_.size() ? weights_.get() : nullptr; }
  MatrixView host() const { return x_; }

  /// Calls fn(const Tile&) for every tile in row order; kernels go on res.compute().
  template <class Fn>
  void for_each_tile(Fn&& fn) {
    if (plan_.resident) {
      fn(make_tile(resident_x_, 0, x_.rows));
      return;
    }
    for (std::size_t t = 0; t < plan_.tiles; ++t) {
      const std::size_t row0 = t * plan_.tile_rows;
      const std::size_t rows = std::min(plan_.tile_rows, x_.rows - row0);
      const float* dev = stage(t, row0, rows);
      fn(make_tile(dev, row0, rows));
      done_[t % 2].record(res_.compute());
    }
  }

  /// Copies rows idx (global indices) into dev_out (count x d floats) on the compute stream.
  void gather(const std::vector<std::int64_t>& idx, float* dev_out);

 private:
  Tile make_tile(const float* dev, std::size_t row0, std::size_t rows) const {
    return Tile{dev, rows, row0, static_cast<int>(x_.cols), device_weights()};
  }
  /// Stages tile t into device buffer t % 2 (unless it holds it already); returns it. Waits on
  /// the host only when a pinned staging buffer must be refilled.
  const float* stage(std::size_t t, std::size_t row0, std::size_t rows);

  Resources& res_;
  MatrixView x_;
  cuda_plan::MemoryPlan plan_;
  const float* resident_x_ = nullptr;  ///< the resident matrix: dev_[0] or the caller's
  DeviceBuffer<float> dev_[2];
  PinnedBuffer<float> pinned_[2];
  DeviceBuffer<float> weights_;
  DeviceBuffer<std::int64_t> idx_;
  Event copied_[2];  ///< H2D of buffer b finished (pinned b reusable, device b filled)
  Event done_[2];    ///< compute on device buffer b finished
  bool used_[2] = {false, false};
  std::size_t held_[2] = {~std::size_t{0}, ~std::size_t{0}};  ///< tile in device buffer b
  bool registered_ = false;
};

}  // namespace segmint::cuda
