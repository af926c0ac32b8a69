// The one features.csv writer: user_id then one column per feature, users sorted by id string,
// values in shortest round-trip form (features, and nightly --write-features).
#include <functional>
#include <string>

#include "common/atomic_file.hpp"
#include "common/text.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint {
namespace {

constexpr std::size_t kChunkBytes = 1u << 20;

// Renders the table in chunks of about kChunkBytes, handing each to `flush` (which may empty
// the buffer), so a file of any size is written without holding all of it in memory.
void render(const FeatureMatrix& raw, const std::vector<std::string>& ids,
            const std::vector<std::uint32_t>& order, std::string& buf,
            const std::function<void(std::string&)>& flush) {
  if (ids.size() != raw.rows || order.size() != raw.rows || raw.names.size() != raw.cols) {
    throw RuntimeError("features_csv: " + std::to_string(ids.size()) + " users but " +
                       std::to_string(raw.rows) + " feature rows");
  }
  buf += "user_id";
  for (const auto& n : raw.names) {
    buf += ',';
    append_csv_field(buf, n);
  }
  buf += '\n';
  for (std::uint32_t u : order) {
    if (u >= raw.rows) throw RuntimeError("features_csv: row order out of range");
    append_csv_field(buf, ids[u]);
    const float* row = raw.values.data() + static_cast<std::size_t>(u) * raw.cols;
    for (std::size_t j = 0; j < raw.cols; ++j) {
      buf += ',';
      append_shortest(buf, row[j]);
    }
    buf += '\n';
    if (buf.size() >= kChunkBytes) flush(buf);
  }
  flush(buf);
}

}  // namespace

std::string features_csv(const FeatureMatrix& raw, const UserDictionary& users) {
  return features_csv(raw, users.ids(), users.sorted_order());
}

std::string features_csv(const FeatureMatrix& raw, const std::vector<std::string>& ids,
                         const std::vector<std::uint32_t>& order) {
  std::string out;
  out.reserve(raw.rows * (16 + raw.cols * 8) + 64);
  render(raw, ids, order, out, [](std::string&) {});
  return out;
}

void write_features_csv(const std::string& path, const FeatureMatrix& raw,
                        const UserDictionary& users) {
  AtomicFile out(path);
  std::string buf;
  buf.reserve(kChunkBytes + 4096);
  render(raw, users.ids(), users.sorted_order(), buf, [&](std::string& b) {
    out.write(b);
    b.clear();
  });
  out.commit();
}

}  // namespace segmint
