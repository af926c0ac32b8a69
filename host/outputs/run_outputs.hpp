// Writing a whole segmentation (assignments, centroids, summary, model) into an output
// directory: the write step of every command that segments (run, cluster, nightly).
#pragma once
#include <string>
#include <vector>

#include "outputs/model.hpp"
#include "outputs/outputs.hpp"
#include "profile/segmentation.hpp"

namespace segmint::pipeline {

/// The files of a segmentation, rendered: assignments.csv, centroids.csv, the `more` files
/// (name, text; e.g. heavy_users.csv), summary.json (with a "write" timing of the rendering
/// added) and model.json. ids[i] names row i.
std::vector<std::pair<std::string, std::string>> render_segmentation(
    const std::vector<std::string>& ids, const Segmentation& seg, const Model& model,
    Summary summary, const std::vector<std::pair<std::string, std::string>>& more = {});

/// Writes those files into the user's `dir` as one unit (commit_as_unit, output_dir.hpp): a kill
/// at any moment leaves every file from the previous run or every file from this one.
void write_segmentation(const std::string& dir, const std::vector<std::string>& ids,
                        const Segmentation& seg, const Model& model, Summary summary,
                        const std::vector<std::pair<std::string, std::string>>& more = {});

/// Writes the four files as plain files into `staged`, a fresh directory the caller then
/// commits whole (nightly's runs/<as_of>).
void write_segmentation_files(const std::string& staged, const std::vector<std::string>& ids,
                              const Segmentation& seg, const Model& model, Summary summary,
                              const std::vector<std::pair<std::string, std::string>>& more = {});

}  // namespace segmint::pipeline
