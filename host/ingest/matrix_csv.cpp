// CSV readers for feature matrices and centroid files, with FILE:LINE errors.
#include "ingest/matrix_csv.hpp"

#include <algorithm>
#include <cctype>
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

enum class NumberProblem { none, empty, not_a_number, not_finite };

// One numeric field, surrounding blanks ignored (*trimmed receives the text without them): a
// finite number within float range, or what is wrong with it.
NumberProblem to_float(const std::string& text, float* out, std::string* trimmed) {
  const std::size_t b = text.find_first_not_of(" \t"), e = text.find_last_not_of(" \t");
  *trimmed = b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
  if (trimmed->empty()) return NumberProblem::empty;
  char* end = nullptr;
  const double v = std::strtod(trimmed->c_str(), &end);
  if (end != trimmed->c_str() + trimmed->size()) return NumberProblem::not_a_number;
  if (!std::isfinite(v) || std::fabs(v) > 3.4e38) return NumberProblem::not_finite;
  // strtod also reads hex ("0x10", "0x1p3") and "infinity": plain decimals only.
  if (!is_decimal_number(*trimmed)) return NumberProblem::not_a_number;
  *out = static_cast<float>(v);
  return NumberProblem::none;
}

float parse_value(const std::string& text, const std::string& column, const LineReader& r) {
  float v = 0;
  std::string t;
  const std::string where = "column '" + column + "': ";
  switch (to_float(text, &v, &t)) {
    case NumberProblem::none: return v;
    case NumberProblem::empty: throw InputError(r.path(), r.number(), where + "empty value");
    case NumberProblem::not_a_number:
      throw InputError(r.path(), r.number(), where + "'" + t + "' is not a number");
    default: throw InputError(r.path(), r.number(), where + "'" + t + "' is not a finite float");
  }
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

constexpr int kLabelColumn = -2, kOtherFeature = -1;

// Where each header column goes: an index into `names`, kOtherFeature (an `also_known` feature:
// checked, then ignored) or kLabelColumn (segment, segment_name, size as in centroids.csv). Any
// other column is an error, and so is a name without a column.
std::vector<int> centroid_columns(const std::vector<std::string>& header,
                                  const std::vector<std::string>& names,
                                  const std::vector<std::string>& also_known, const LineReader& r) {
  std::vector<int> dest(header.size(), kLabelColumn);
  std::vector<bool> seen(names.size(), false);
  for (std::size_t c = 0; c < header.size(); ++c) {
    const auto& h = header[c];
    if (h == "segment" || h == "segment_name" || h == "size") continue;
    auto it = std::find(names.begin(), names.end(), h);
    if (it != names.end()) {
      dest[c] = static_cast<int>(it - names.begin());
      seen[static_cast<std::size_t>(dest[c])] = true;
    } else if (std::find(also_known.begin(), also_known.end(), h) != also_known.end()) {
      dest[c] = kOtherFeature;
    } else {
      throw InputError(r.path(), r.number(), "column '" + h + "' is not a feature of the matrix");
    }
  }
  for (std::size_t j = 0; j < names.size(); ++j)
    if (!seen[j])
      throw InputError(r.path(), r.number(), "missing feature column '" + names[j] + "'");
  return dest;
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

void check_matrix_range(const FeatureMatrix& m, const std::vector<unsigned long long>& lines,
                        const std::string& path) {
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
      throw InputError(path, i < lines.size() ? lines[i] : 0, text);
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
                                      const std::vector<std::string>& names, int k,
                                      const std::vector<std::string>& also_known, int* rows_read) {
  LineReader r(path);
  const std::vector<std::string> header = read_header(r);
  const std::vector<int> dest = centroid_columns(header, names, also_known, r);
  std::vector<float> out, row(names.size());
  std::string line, t;
  int rows = 0;
  while (r.next(line)) {
    auto fields = split_csv_line(line, path, r.number());
    check_field_count(fields, header.size(), r);
    if (++rows > k && k > 0)
      throw InputError(path, r.number(), "more than k = " + std::to_string(k) + " centroid rows");
    for (std::size_t c = 0; c < fields.size(); ++c) {
      if (dest[c] == kLabelColumn) continue;
      float v = 0;
      if (to_float(fields[c], &v, &t) != NumberProblem::none) {
        throw InputError(path, r.number(),
                         "'" + fields[c] + "' in column '" + header[c] + "' is not a finite number");
      }
      if (dest[c] >= 0) row[static_cast<std::size_t>(dest[c])] = v;
    }
    out.insert(out.end(), row.begin(), row.end());
  }
  if (k > 0 && rows != k)
    throw InputError(
        path, 0,
        "expected k = " + std::to_string(k) + " centroid rows, found " + std::to_string(rows));
  if (rows == 0) throw InputError(path, r.number(), "no centroid rows");
  if (rows_read) *rows_read = rows;
  return out;
}

}  // namespace segmint
