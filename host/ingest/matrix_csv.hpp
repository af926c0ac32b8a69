// Reading numeric tables from CSV: user feature matrices (id + numeric columns) and centroid
// files for --init FILE.
#pragma once
#include <string>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint {

/// A feature table read from CSV: one id per row and the numeric columns.
struct MatrixCsv {
  std::vector<std::string> ids;
  FeatureMatrix matrix;  ///< names = header minus the first (id) column
  std::vector<unsigned long long> lines;  ///< line number of each row (for messages)
};

/// For a table clustered as it is (--transform none): InputError "FILE:LINE: column 'C': ..."
/// at the first value too large for float32 distances over the table's columns (see
/// detail::max_feature_magnitude).
void check_matrix_range(const MatrixCsv& table, const std::string& path);

/// True for plain decimal number text: optional sign, digits with an optional '.', an optional
/// exponent. Rejects what strtod also takes: hex ("0x10"), inf, nan, and surrounding junk.
bool is_decimal_number(const std::string& text);

/// Reads "id,<feature>,...": a header, then one row per user with finite decimal numbers. Blank lines
/// are skipped; quoted fields ("a,b", "" escapes) are accepted. Throws InputError
/// "FILE:LINE: what" on a missing file, a bad header, a wrong field count, an empty,
/// non-numeric or non-finite value, a duplicate id, or no rows.
MatrixCsv read_matrix_csv(const std::string& path);

/// Reads initial centroids: a header of feature names and one row per centroid. Columns named
/// segment, segment_name and size (as in centroids.csv) are ignored. Returns k x d values in the
/// order of `names` (every name must be a column; other columns are an error). Throws
/// InputError when the file does not have exactly k rows.
std::vector<float> read_centroids_csv(const std::string& path,
                                      const std::vector<std::string>& names, int k);

/// Splits one CSV line into fields (quotes removed, "" unescaped). Throws InputError
/// "FILE:LINE: unterminated quote" on a bad line.
std::vector<std::string> split_csv_line(const std::string& line, const std::string& file,
                                        unsigned long long line_no);

}  // namespace segmint
