// --init FILE: initial centroids from a centroids CSV (header of feature names, k rows) or from
// a model.json, mapped onto the columns the k-means matrix has.
#pragma once
#include <string>
#include <vector>

#include "segmint/features.hpp"

namespace segmint::pipeline {

/// Reads initial centroids for a matrix whose columns are `scaler.names` (transformed space).
/// - model.json (detected by a leading '{'): its centroids, which must be over the same columns.
/// - CSV (read_centroids_csv, the one centroid CSV reader): columns matched by name; segment,
///   segment_name and size are ignored, so are `raw_names` columns that are not clustered (their
///   values must still be numbers); every clustered column must be there, any other column is
///   an error. With `values_as_is` (--transform none) the values are used as they are;
///   otherwise they are in original units and go through scaler.transform.
/// Returns k x scaler.names.size() values row-major and sets *k (the number of rows). Errors
/// are InputError "FILE:LINE: what".
std::vector<float> load_initial_centroids(const std::string& path, const Scaler& scaler,
                                          const std::vector<std::string>& raw_names,
                                          bool values_as_is, int* k);

}  // namespace segmint::pipeline
