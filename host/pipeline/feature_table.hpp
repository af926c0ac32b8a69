// Reading a user-supplied feature table for `segmint cluster`: first column the user id, the
// other columns numeric features with names in the header.
#pragma once
#include <string>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint::pipeline {

struct FeatureTable {
  std::vector<std::string> ids;  ///< one per row, in file order
  FeatureMatrix values;          ///< rows x feature columns, names from the header
};

/// Reads `path` (CSV, RFC 4180 quotes). Throws InputError "FILE:LINE: what" for a missing
/// header, a row with the wrong number of fields, an empty or repeated id, or a value that is
/// not a finite number.
FeatureTable read_feature_table(const std::string& path);

}  // namespace segmint::pipeline
