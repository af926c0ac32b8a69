// Feature table CSV reader: strict, so a typo in a user's matrix is reported, not clustered.
#include "pipeline/feature_table.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <unordered_map>

#include "pipeline/init_file.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {

FeatureTable read_feature_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open the feature table");
  std::string line;
  if (!std::getline(in, line)) throw InputError(path, 1, "empty file (expected a header)");
  std::vector<std::string> header = split_csv_line(line);
  if (header.size() < 2) {
    throw InputError(path, 1, "expected a header: an id column, then one column per feature");
  }
  FeatureTable t;
  t.values.names.assign(header.begin() + 1, header.end());
  t.values.cols = t.values.names.size();
  std::unordered_map<std::string, unsigned long long> seen;
  unsigned long long line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> f = split_csv_line(line);
    if (f.size() != header.size()) {
      throw InputError(path, line_no, "expected " + std::to_string(header.size()) +
                                          " fields, found " + std::to_string(f.size()));
    }
    if (f[0].empty()) throw InputError(path, line_no, "empty id");
    auto [it, fresh] = seen.emplace(f[0], line_no);
    if (!fresh) {
      throw InputError(path, line_no, "id '" + f[0] + "' repeats line " +
                                          std::to_string(it->second));
    }
    t.ids.push_back(f[0]);
    for (std::size_t c = 1; c < f.size(); ++c) {
      char* end = nullptr;
      errno = 0;
      float v = std::strtof(f[c].c_str(), &end);
      if (f[c].empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v)) {
        throw InputError(path, line_no, "'" + f[c] + "' in column '" + header[c] +
                                            "' is not a finite number");
      }
      t.values.values.push_back(v);
    }
  }
  t.values.rows = t.ids.size();
  return t;
}

}  // namespace segmint::pipeline
