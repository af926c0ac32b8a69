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
/// detail::max_feature_magnitude); lines[i] is row i's line (MatrixCsv::lines).
void check_matrix_range(const FeatureMatrix& matrix, const std::vector<unsigned long long>& lines,
                        const std::string& path);

/// True for plain decimal number text: optional sign, digits with an optional '.', an optional
/// exponent. Rejects what strtod also takes: hex ("0x10"), inf, nan, and surrounding junk.
bool is_decimal_number(const std::string& text);

/// Reads "id,<feature>,...": a header, then one row per user with finite decimal numbers. Blank lines
/// are skipped; quoted fields ("a,b", "" escapes) are accepted. Throws InputError
/// "FILE:LINE: what" on a missing file, a bad header, a wrong field count, an empty,
/// non-numeric or non-finite value, a duplicate id, or no rows.
MatrixCsv read_matrix_csv(const std::string& path);

/// The one reader of centroid CSV files (--init FILE): a header of feature names and one row per
/// centroid. Returns rows x names.size() values, each row in the order of `names` (every name
/// must be a column). Columns named segment, segment_name and size (as in centroids.csv) and
/// those in `also_known` (features the run has but does not cluster) are ignored; any other
/// column is an error. Values are finite float-range numbers (surrounding blanks ignored).
/// k > 0: exactly k rows are required; k <= 0: any number of rows >= 1. *rows_read (when given)
/// receives the row count. Throws InputError "FILE:LINE: what".
std::vector<float> read_centroids_csv(const std::string& path,
                                      const std::vector<std::string>& names, int k,
                                      const std::vector<std::string>& also_known = {},
                                      int* rows_read = nullptr);

/// Splits one CSV line into fields (quotes removed, "" unescaped). Throws InputError
/// "FILE:LINE: unterminated quote" on a bad line.
std::vector<std::string> split_csv_line(const std::string& line, const std::string& file,
                                        unsigned long long line_no);

}  // namespace segmint
