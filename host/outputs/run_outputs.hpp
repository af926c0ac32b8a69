// Writing a whole segmentation (assignments, centroids, summary, model) into an output
// directory: the write step of every command that segments (run, cluster, nightly).
#pragma once
#include <string>
#include <vector>

#include "outputs/model.hpp"
#include "outputs/outputs.hpp"
#include "profile/segmentation.hpp"

namespace segmint::pipeline {

/// Writes assignments.csv, centroids.csv and the `more` files (name, text; e.g.
/// heavy_users.csv), then summary.json (with a "write" timing of those added) and model.json
/// last, each atomically, into `dir`. ids[i] names row i.
void write_segmentation(const std::string& dir, const std::vector<std::string>& ids,
                        const Segmentation& seg, const Model& model, Summary summary,
                        const std::vector<std::pair<std::string, std::string>>& more = {});

}  // namespace segmint::pipeline
