// Loading --init centroids: a model.json's transformed centroids, or a centroids CSV read by the
// one CSV reader (ingest/matrix_csv) and mapped onto the columns k-means sees.
#include "pipeline/init_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ingest/matrix_csv.hpp"
#include "outputs/model.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {

namespace {
std::vector<float> from_model(const std::string& path, const std::string& text,
                              const Scaler& scaler, int* k) {
  Model m = model_from_json(text, path);
  if (m.scaler.names != scaler.names) {
    throw InputError(path, 0, "the model's centroids are over other features than this matrix");
  }
  *k = m.k;
  return m.centroids;
}

std::vector<float> from_csv(const std::string& path, const Scaler& scaler,
                            const std::vector<std::string>& raw_names, bool as_is, int* k) {
  if (as_is) return read_centroids_csv(path, scaler.names, 0, raw_names, k);
  // Original units: every raw column may be given, the clustered ones must be; the others are
  // 0 (the scaler does not read them).
  const std::vector<float> given = read_centroids_csv(path, scaler.names, 0, raw_names, k);
  FeatureMatrix raw;
  raw.rows = static_cast<std::size_t>(*k);
  raw.cols = raw_names.size();
  raw.names = raw_names;
  raw.values.assign(raw.rows * raw.cols, 0.f);
  const std::size_t d = scaler.names.size();
  for (std::size_t j = 0; j < d; ++j) {
    const std::size_t c = static_cast<std::size_t>(
        std::find(raw_names.begin(), raw_names.end(), scaler.names[j]) - raw_names.begin());
    if (c == raw_names.size()) throw InputError(path, 0, "no feature '" + scaler.names[j] + "'");
    for (std::size_t i = 0; i < raw.rows; ++i) raw.at(i, c) = given[i * d + j];
  }
  return scaler.transform(raw).values;
}
}  // namespace

std::vector<float> load_initial_centroids(const std::string& path, const Scaler& scaler,
                                          const std::vector<std::string>& raw_names,
                                          bool values_as_is, int* k) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open --init file");
  int first = in.peek();
  while (first == ' ' || first == '\n' || first == '\r' || first == '\t') {
    in.get();
    first = in.peek();
  }
  if (first == '{') {
    std::ostringstream ss;
    ss << in.rdbuf();
    return from_model(path, ss.str(), scaler, k);
  }
  return from_csv(path, scaler, raw_names, values_as_is, k);
}

}  // namespace segmint::pipeline
