// JsonFields: every number read from a JSON file is typed and range-checked before use.
#include "common/json_fields.hpp"

#include <cmath>
#include <cstdio>

#include "segmint/error.hpp"

namespace segmint {
using nlohmann::json;

namespace {
std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}
}  // namespace

json parse_json_file_text(const std::string& text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e400
    throw InputError(file, 0, std::string("not valid JSON: ") + e.what());
  }
}

bool json_number_in(const json& v, double lo, double hi, double& out) {
  if (!v.is_number()) return false;
  out = v.get<double>();
  return std::isfinite(out) && out >= lo && out <= hi;
}

bool json_integer_in(const json& v, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
  if (v.is_number_unsigned()) {
    const std::uint64_t u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return false;
    out = static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    out = v.get<std::int64_t>();
  } else {
    return false;
  }
  return out >= lo && out <= hi;
}

JsonFields::JsonFields(const json& j, std::string file, std::string path, std::string noun)
    : j_(j), file_(std::move(file)), path_(std::move(path)), noun_(std::move(noun)) {
  if (!j_.is_object()) {
    throw InputError(file_, 0, path_.empty() ? "not a " + noun_ + " object"
                                             : noun_ + " field '" +
                                                   path_.substr(0, path_.size() - 1) +
                                                   "': expected a JSON object");
  }
}

void JsonFields::fail(const std::string& key, const std::string& what) const {
  throw InputError(file_, 0, noun_ + " field '" + path_ + key + "': " + what);
}

bool JsonFields::has(const char* key) const { return j_.contains(key); }

const json& JsonFields::raw(const char* key) const {
  auto it = j_.find(key);
  if (it == j_.end()) throw InputError(file_, 0, noun_ + " has no '" + path_ + key + "'");
  return *it;
}

JsonFields JsonFields::object(const char* key) const {
  const json& v = raw(key);
  if (!v.is_object()) fail(key, "expected a JSON object");
  return JsonFields(v, file_, path_ + key + ".", noun_);
}

std::int64_t JsonFields::integer(const char* key, std::int64_t lo, std::int64_t hi) const {
  std::int64_t v = 0;
  if (!json_integer_in(raw(key), lo, hi, v)) {
    fail(key, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return v;
}

std::uint64_t JsonFields::unsigned_integer(const char* key) const {
  const json& v = raw(key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
    fail(key, "expected a non-negative integer below 2^64");
  }
  return v.get<std::uint64_t>();
}

double JsonFields::number(const char* key, double lo, double hi) const {
  double v = 0;
  if (!json_number_in(raw(key), lo, hi, v)) {
    fail(key, "expected a finite number from " + num(lo) + " to " + num(hi));
  }
  return v;
}

std::string JsonFields::string(const char* key) const {
  const json& v = raw(key);
  if (!v.is_string()) fail(key, "expected a string");
  return v.get<std::string>();
}

const json& JsonFields::array(const char* key) const {
  const json& v = raw(key);
  if (!v.is_array()) fail(key, "expected an array");
  return v;
}

std::vector<std::string> JsonFields::strings(const char* key) const {
  std::vector<std::string> out;
  for (const json& v : array(key)) {
    if (!v.is_string()) fail(key, "expected an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<std::int64_t> JsonFields::integers(const char* key, std::int64_t lo,
                                               std::int64_t hi) const {
  std::vector<std::int64_t> out;
  for (const json& v : array(key)) {
    std::int64_t x = 0;
    if (!json_integer_in(v, lo, hi, x)) {
      fail(key, "expected integers from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    out.push_back(x);
  }
  return out;
}

std::vector<double> JsonFields::numbers(const char* key, double lo, double hi) const {
  std::vector<double> out;
  for (const json& v : array(key)) {
    double x = 0;
    if (!json_number_in(v, lo, hi, x)) {
      fail(key, "expected finite numbers from " + num(lo) + " to " + num(hi));
    }
    out.push_back(x);
  }
  return out;
}

std::vector<float> JsonFields::floats(const char* key, double lo, double hi) const {
  std::vector<float> out;
  for (double x : numbers(key, lo, hi)) out.push_back(static_cast<float>(x));
  return out;
}

std::vector<float> JsonFields::float_rows(const char* key, std::size_t rows, std::size_t cols,
                                          double lo, double hi) const {
  const json& a = array(key);
  if (a.size() != rows) fail(key, "expected " + std::to_string(rows) + " rows");
  std::vector<float> out;
  out.reserve(rows * cols);
  for (const json& row : a) {
    if (!row.is_array() || row.size() != cols) {
      fail(key, "expected rows of " + std::to_string(cols) + " numbers");
    }
    for (const json& v : row) {
      double x = 0;
      if (!json_number_in(v, lo, hi, x)) {
        fail(key, "expected finite numbers from " + num(lo) + " to " + num(hi));
      }
      out.push_back(static_cast<float>(x));
    }
  }
  return out;
}

}  // namespace segmint
