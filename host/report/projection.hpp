// The 2-D view of the users: principal components of a deterministic sample of the rows k-means
// clustered, written by `run --report` as projection.json and drawn by the report.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "report/report_data.hpp"
#include "segmint/matrix.hpp"

namespace segmint::report {

/// Rows of the sample: the `count` rows whose user id hashes lowest (FNV-1a), in row order.
/// The same ids give the same sample whatever the row order, thread count or night.
std::vector<std::size_t> sample_rows(const std::vector<std::string>& ids, std::size_t count);

/// Principal axes of `x` (n x d): the two unit eigenvectors of the covariance matrix with the
/// largest eigenvalues (d x 2, column-major: axis 0 then axis 1), each signed so that its
/// largest-magnitude loading is positive; `explained` receives their shares of the variance.
std::vector<double> principal_axes(const FeatureMatrix& x, double explained[2]);

/// Projects the sampled rows of `x` (transformed, n x d) on their two principal axes.
/// segment_ids[i] is row i's segment id. Axis labels name the two features loading most.
Projection project_users(const FeatureMatrix& x, const std::vector<std::string>& ids,
                         const std::vector<int>& segment_ids, std::size_t max_points);

/// Writes DIR/projection.json (atomically): project_users of x's rows, row i in centroid row
/// labels[i], whose id is segment_ids[labels[i]] (empty segment_ids: the row itself).
void write_projection(const std::string& dir, const FeatureMatrix& x,
                      const std::vector<std::string>& ids, const std::vector<std::int32_t>& labels,
                      const std::vector<int>& segment_ids, std::size_t max_points = 2000);

/// projection.json text and back (InputError naming `name` on bad JSON).
std::string projection_json(const Projection& p);
Projection projection_from_json(const std::string& text, const std::string& name);

}  // namespace segmint::report
