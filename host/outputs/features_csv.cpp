// The raw feature table as CSV: user_id then one column per feature, users sorted by id string.
#include <charconv>
#include <string>

#include "common/atomic_file.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint {
namespace {

void append_csv_field(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Shortest representation that parses back to the same float (std::to_chars guarantees it).
void append_float(std::string& out, float v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, res.ptr);
}

}  // namespace

std::string features_csv(const FeatureMatrix& raw, const UserDictionary& users) {
  return features_csv(raw, users.ids(), users.sorted_order());
}

std::string features_csv(const FeatureMatrix& raw, const std::vector<std::string>& ids,
                         const std::vector<std::uint32_t>& order) {
  if (ids.size() != raw.rows || order.size() != raw.rows || raw.names.size() != raw.cols) {
    throw RuntimeError("features_csv: " + std::to_string(ids.size()) + " users but " +
                       std::to_string(raw.rows) + " feature rows");
  }
  std::string out = "user_id";
  for (const auto& n : raw.names) {
    out += ',';
    append_csv_field(out, n);
  }
  out += '\n';
  out.reserve(out.size() + raw.rows * (16 + raw.cols * 8));
  for (std::uint32_t u : order) {
    if (u >= raw.rows) throw RuntimeError("features_csv: row order out of range");
    append_csv_field(out, ids[u]);
    const float* row = raw.values.data() + static_cast<std::size_t>(u) * raw.cols;
    for (std::size_t j = 0; j < raw.cols; ++j) {
      out += ',';
      append_float(out, row[j]);
    }
    out += '\n';
  }
  return out;
}

void write_features_csv(const std::string& path, const FeatureMatrix& raw,
                        const UserDictionary& users) {
  write_file_atomic(path, features_csv(raw, users));
}

}  // namespace segmint
