// JsonFields: typed, range-checked reads of a JSON object's fields, each failure an InputError
// naming the file and the field (model.json, the nightly manifest and its model).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace segmint {

/// Parses `text`; InputError "FILE: not valid JSON: ..." on any parse failure (also numbers that
/// overflow a double, such as 1e400).
nlohmann::json parse_json_file_text(const std::string& text, const std::string& file);

/// A view of one JSON object. Every getter throws InputError(file, 0, "NOUN field 'PATH': what")
/// when the field is of another type or outside the range given, "NOUN has no 'PATH'" when it
/// is missing.
class JsonFields {
 public:
  /// InputError when `j` is not an object. `path` prefixes field names ("scaler."); `noun`
  /// names the document in messages ("model", "state manifest").
  JsonFields(const nlohmann::json& j, std::string file, std::string path = "",
             std::string noun = "JSON");

  bool has(const char* key) const;
  JsonFields object(const char* key) const;
  const nlohmann::json& raw(const char* key) const;
  /// The object itself (to walk its keys).
  const nlohmann::json& raw_object() const { return j_; }

  /// An integer (no fraction, no exponent overflow) within [lo, hi].
  std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) const;
  /// A non-negative integer up to 2^64 - 1.
  std::uint64_t unsigned_integer(const char* key) const;
  /// A finite number within [lo, hi].
  double number(const char* key, double lo, double hi) const;
  std::string string(const char* key) const;

  std::vector<std::string> strings(const char* key) const;
  std::vector<std::int64_t> integers(const char* key, std::int64_t lo, std::int64_t hi) const;
  std::vector<double> numbers(const char* key, double lo, double hi) const;
  /// Finite numbers within [lo, hi] (|lo|, |hi| <= FLT_MAX), as float.
  std::vector<float> floats(const char* key, double lo, double hi) const;
  /// An array of `rows` arrays of `cols` floats each within [lo, hi], flattened row-major.
  std::vector<float> float_rows(const char* key, std::size_t rows, std::size_t cols, double lo,
                                double hi) const;

  /// Fails for field `key` with `what`.
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  const std::string& file() const { return file_; }

 private:
  const nlohmann::json& array(const char* key) const;
  const nlohmann::json& j_;
  std::string file_, path_, noun_;
};

/// Checks one JSON value as a finite number within [lo, hi]; false otherwise.
bool json_number_in(const nlohmann::json& v, double lo, double hi, double& out);
/// Checks one JSON value as an integer within [lo, hi]; false otherwise.
bool json_integer_in(const nlohmann::json& v, std::int64_t lo, std::int64_t hi, std::int64_t& out);

}  // namespace segmint
