// Writing a whole segmentation (assignments, centroids, summary, model) into an output
// directory, shared by run, cluster and nightly.
#pragma once
#include <string>
#include <vector>

#include "outputs/model.hpp"
#include "outputs/outputs.hpp"
#include "pipeline/segment.hpp"

namespace segmint::pipeline {

/// Fills the segment fields of `model` (k, d, centroids, names, sizes, inertia) and of `summary`
/// (k, inertia, iterations, converged, names, sizes) from `seg`.
void describe_segmentation(const Segmentation& seg, int d, Model& model, Summary& summary);

/// Writes assignments.csv and centroids.csv, then summary.json (with a "write" timing of the
/// first two added) and model.json last, each atomically, into `dir`. ids[i] names row i.
void write_segmentation(const std::string& dir, const std::vector<std::string>& ids,
                        const Segmentation& seg, const Model& model, Summary summary);

}  // namespace segmint::pipeline
