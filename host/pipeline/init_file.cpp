// Loading --init centroids: CSV by column name, or a model.json's transformed centroids.
#include "pipeline/init_file.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ingest/matrix_csv.hpp"
#include "outputs/model.hpp"
#include "profile/profile.hpp"
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

std::vector<float> from_csv(const std::string& path, std::istream& in, const Scaler& scaler,
                            const std::vector<std::string>& raw_names, bool as_is, int* k) {
  std::string line;
  if (!std::getline(in, line)) throw InputError(path, 1, "empty file (expected a header)");
  std::vector<std::string> header = split_csv_line(line, path, 1);
  // Where each file column goes: index into the target columns, or -1 to ignore it.
  const std::vector<std::string>& targets = as_is ? scaler.names : raw_names;
  std::vector<int> dest(header.size(), -1);
  std::vector<bool> seen(targets.size(), false);
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& h = header[c];
    if (h == "segment" || h == "segment_name" || h == "size") continue;
    int j = feature_index(targets, h);
    if (j < 0 && feature_index(raw_names, h) >= 0) continue;  // known but not clustered
    if (j < 0) throw InputError(path, 1, "unknown feature column '" + h + "'");
    dest[c] = j;
    seen[static_cast<std::size_t>(j)] = true;
  }
  for (const auto& n : scaler.names) {
    int j = feature_index(targets, n);
    if (j < 0 || !seen[static_cast<std::size_t>(j)]) {
      throw InputError(path, 1, "no column for feature '" + n + "'");
    }
  }
  std::vector<float> rows;
  unsigned long long line_no = 1;
  int count = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> f = split_csv_line(line, path, line_no);
    if (f.size() != header.size()) {
      throw InputError(path, line_no, "expected " + std::to_string(header.size()) +
                                          " fields, found " + std::to_string(f.size()));
    }
    std::vector<float> row(targets.size(), 0.f);
    for (std::size_t c = 0; c < f.size(); ++c) {
      if (dest[c] < 0) continue;
      char* end = nullptr;
      errno = 0;
      double v = std::strtod(f[c].c_str(), &end);
      if (f[c].empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v) ||
          !is_decimal_number(f[c])) {
        throw InputError(path, line_no, "'" + f[c] + "' in column '" + header[c] +
                                            "' is not a finite number");
      }
      row[static_cast<std::size_t>(dest[c])] = static_cast<float>(v);
    }
    rows.insert(rows.end(), row.begin(), row.end());
    ++count;
  }
  if (count == 0) throw InputError(path, line_no, "no centroid rows");
  *k = count;
  if (as_is) return rows;
  FeatureMatrix raw;
  raw.rows = static_cast<std::size_t>(count);
  raw.cols = raw_names.size();
  raw.names = raw_names;
  raw.values = std::move(rows);
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
  return from_csv(path, in, scaler, raw_names, values_as_is, k);
}

}  // namespace segmint::pipeline
