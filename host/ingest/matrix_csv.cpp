// CSV readers for feature matrices and centroid files, with FILE:LINE errors.
#include "ingest/matrix_csv.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "segmint/detail/kmeans_math.hpp"
#include "segmint/error.hpp"

namespace segmint {

std::vector<std::string> split_csv_line(const std::string& line, const std::string& file,
                                        unsigned long long line_no) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (quoted) throw InputError(file, line_no, "unterminated quote");
  fields.push_back(std::move(cur));
  return fields;
}

namespace {

// Lines of a CSV file with their 1-based numbers; CR before LF is dropped, blank lines skipped.
class LineReader {
 public:
  explicit LineReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw InputError(path, 0, "cannot open file");
  }
  bool next(std::string& line) {
    while (std::getline(in_, line)) {
      ++number_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (number_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
      if (line.find_first_not_of(" \t") != std::string::npos) return true;
    }
    if (in_.bad()) throw InputError(path_, number_, "read error");
    return false;
  }
  unsigned long long number() const { return number_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ifstream in_;
  unsigned long long number_ = 0;
};

float parse_value(const std::string& text, const std::string& column, const LineReader& r) {
  std::size_t b = text.find_first_not_of(" \t"), e = text.find_last_not_of(" \t");
  if (b == std::string::npos)
    throw InputError(r.path(), r.number(), "column '" + column + "': empty value");
  const std::string t = text.substr(b, e - b + 1);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size())
    throw InputError(r.path(), r.number(), "column '" + column + "': '" + t + "' is not a number");
  if (!std::isfinite(v) || std::fabs(v) > 3.4e38)
    throw InputError(r.path(), r.number(),
                     "column '" + column + "': '" + t + "' is not a finite float");
  if (!is_decimal_number(t))  // strtod also reads hex ("0x10") and "infinity"
    throw InputError(r.path(), r.number(), "column '" + column + "': '" + t + "' is not a number");
  return static_cast<float>(v);
}

std::vector<std::string> read_header(LineReader& r) {
  std::string line;
  if (!r.next(line)) throw InputError(r.path(), 0, "empty file (expected a header line)");
  auto names = split_csv_line(line, r.path(), r.number());
  std::unordered_set<std::string> seen;
  for (const auto& n : names) {
    if (n.empty()) throw InputError(r.path(), r.number(), "empty column name in the header");
    if (!seen.insert(n).second)
      throw InputError(r.path(), r.number(), "duplicate column '" + n + "' in the header");
  }
  return names;
}

void check_field_count(const std::vector<std::string>& fields, std::size_t expected,
                       const LineReader& r) {
  if (fields.size() != expected)
    throw InputError(
        r.path(), r.number(),
        "expected " + std::to_string(expected) + " fields, found " + std::to_string(fields.size()));
}

}  // namespace

MatrixCsv read_matrix_csv(const std::string& path) {
  LineReader r(path);
  auto header = read_header(r);
  if (header.size() < 2)
    throw InputError(path, r.number(), "expected an id column and at least one feature column");
  MatrixCsv out;
  out.matrix.names.assign(header.begin() + 1, header.end());
  out.matrix.cols = header.size() - 1;
  std::unordered_map<std::string, unsigned long long> seen;
  std::string line;
  while (r.next(line)) {
    auto fields = split_csv_line(line, path, r.number());
    check_field_count(fields, header.size(), r);
    if (fields[0].empty()) throw InputError(path, r.number(), "empty id");
    auto [it, fresh] = seen.emplace(fields[0], r.number());
    if (!fresh)
      throw InputError(
          path, r.number(),
          "duplicate id '" + fields[0] + "' (first on line " + std::to_string(it->second) + ")");
    for (std::size_t j = 1; j < fields.size(); ++j)
      out.matrix.values.push_back(parse_value(fields[j], header[j], r));
    out.ids.push_back(std::move(fields[0]));
    out.lines.push_back(r.number());
  }
  out.matrix.rows = out.ids.size();
  if (out.matrix.rows == 0) throw InputError(path, 0, "no data rows");
  return out;
}

void check_matrix_range(const MatrixCsv& table, const std::string& path) {
  const FeatureMatrix& m = table.matrix;
  const double limit = detail::max_feature_magnitude(m.cols);
  for (std::size_t i = 0; i < m.rows; ++i) {
    for (std::size_t j = 0; j < m.cols; ++j) {
      const float v = m.at(i, j);
      if (std::fabs(v) <= limit) continue;
      char text[400];
      std::snprintf(text, sizeof text,
                    "column '%s': %g is too large to cluster as it is: float32 distances over %zu "
                    "columns need |values| below %.3g (use --transform zscore, or rescale)",
                    m.names[j].c_str(), static_cast<double>(v), m.cols, limit);
      throw InputError(path, i < table.lines.size() ? table.lines[i] : 0, text);
    }
  }
}

bool is_decimal_number(const std::string& t) {
  std::size_t i = 0, n = t.size();
  if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++digits;
  if (i < n && t[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    std::size_t exp = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == n;
}

std::vector<float> read_centroids_csv(const std::string& path,
                                      const std::vector<std::string>& names, int k) {
  LineReader r(path);
  auto header = read_header(r);
  const unsigned long long header_line = r.number();
  // source column of each wanted feature
  std::vector<int> source(names.size(), -1);
  for (std::size_t c = 0; c < header.size(); ++c) {
    const auto& h = header[c];
    if (h == "segment" || h == "segment_name" || h == "size") continue;
    auto it = std::find(names.begin(), names.end(), h);
    if (it == names.end())
      throw InputError(path, header_line, "column '" + h + "' is not a feature of the matrix");
    source[it - names.begin()] = static_cast<int>(c);
  }
  for (std::size_t j = 0; j < names.size(); ++j)
    if (source[j] < 0)
      throw InputError(path, header_line, "missing feature column '" + names[j] + "'");
  std::vector<float> out;
  std::string line;
  int rows = 0;
  while (r.next(line)) {
    auto fields = split_csv_line(line, path, r.number());
    check_field_count(fields, header.size(), r);
    if (++rows > k)
      throw InputError(path, r.number(), "more than k = " + std::to_string(k) + " centroid rows");
    for (std::size_t j = 0; j < names.size(); ++j)
      out.push_back(parse_value(fields[source[j]], names[j], r));
  }
  if (rows != k)
    throw InputError(
        path, 0,
        "expected k = " + std::to_string(k) + " centroid rows, found " + std::to_string(rows));
  return out;
}

}  // namespace segmint
