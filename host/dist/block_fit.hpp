// k-means across the ranks with one process's bytes: rank r holds a contiguous block of whole
// 4096-row chunks of the matrix, and every chunk-ordered sum of the CPU backend is either handed
// along the ranks in order (k x d Lloyd sums) or gathered per chunk (one value per chunk) and
// added in chunk order, exactly as one process adds its chunk partials.
#pragma once
#include <cstdint>
#include <vector>

#include "segmint/kmeans.hpp"
#include "segmint/matrix.hpp"

namespace segmint::dist {

/// One fit's state on every rank. Every member function is collective: all ranks call it with
/// the same arguments (rank 0's come from the engine, the others' from dist::follow).
class BlockFit {
 public:
  /// Rank 0 passes the whole matrix and weights (x.rows may be huge), the others an empty view;
  /// each rank keeps its block of chunks. params.k, max_iter, threads must agree on all ranks.
  void prepare(MatrixView x, const float* weights, const KMeansParams& params);
  /// kmeans::feature_variance_sum over all rows.
  double variance_sum();
  /// The CPU backend's initialisers, same seeds, same picks; the centroids on every rank.
  std::vector<float> init_random(std::uint64_t seed);
  std::vector<float> init_plus_plus(std::uint64_t seed);
  std::vector<float> init_parallel(std::uint64_t seed, double oversampling, int rounds);
  /// kmeans::lloyd; labels and distances are complete on rank 0 only.
  KMeansResult lloyd(std::vector<float> centroids, double tol);

 private:
  MatrixView view() const { return {x_.data(), rows(), d_}; }
  const float* w() const { return weighted_ ? w_.data() : nullptr; }
  std::size_t rows() const { return row_hi_ - row_lo_; }
  std::size_t chunks() const { return chunk_hi_ - chunk_lo_; }
  /// The rank holding global chunk `chunk`.
  int chunk_owner(std::size_t chunk) const;
  /// Rows (global indices) on every rank, k x d in the given order.
  std::vector<float> fetch_rows(const std::vector<std::size_t>& rows) const;
  /// Per-chunk sums of w_i * v_i over this rank's chunks (null v or w: 1).
  std::vector<double> chunk_masses(const float* v) const;
  /// The row one process's search_mass picks for `target`, given every chunk's mass (the
  /// chunk's rank scans it and tells the others).
  std::size_t search(const float* v, const std::vector<double>& masses, double target) const;
  /// assign_pass over each chunk of this rank's block (labels/dist_sq: rows() entries); with
  /// totals, the per-chunk partials (k x d sums, k weights, inertia, changed) added in chunk
  /// order over all ranks.
  std::vector<double> assign_chunks(const float* centroids, int k, std::int32_t* labels,
                                    float* dist_sq, bool totals) const;
  /// kmeans::label_distances over this rank's rows (not collective).
  void label_distances(const float* centroids, int k, const std::int32_t* labels,
                       float* dist_sq) const;
  /// kmeans::lloyd's repair_empty over all ranks (the farthest rows gathered in global order).
  void repair_empty(int k, const float* dist_sq, std::int32_t* labels, std::vector<double>& sums,
                    std::vector<double>& weights) const;
  /// The rows' labels and distances on rank 0 (empty elsewhere).
  void gather_result(const std::vector<std::int32_t>& labels, const std::vector<float>& dist,
                     KMeansResult& out) const;

  std::size_t n_ = 0, d_ = 0;
  std::size_t chunk_lo_ = 0, chunk_hi_ = 0, row_lo_ = 0, row_hi_ = 0, all_chunks_ = 0;
  std::vector<float> x_, w_;
  bool weighted_ = false;
  KMeansParams params_;
};

}  // namespace segmint::dist
