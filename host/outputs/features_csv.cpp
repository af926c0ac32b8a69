// The one features.csv writer: user_id then one column per feature, users sorted by id string,
// values in shortest round-trip form (features, and nightly --write-features).
#include <functional>
#include <string>
#include <vector>

#include "common/atomic_file.hpp"
#include "common/ordered_render.hpp"
#include "common/text.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint {
namespace {

constexpr std::size_t kChunkBytes = 1u << 20;
// At most this many rows a thread renders at once (~0.6 MB): each round's bytes go to the file
// (and its disk write starts, AtomicFile) while the next round renders. With 16384, a 20k-user
// table was one round and the disk write of all 3.2 MB waited until the end.
constexpr std::size_t kBlockRows = 4096;

// Appends rows order[begin, end) to `out`.
void render_rows(const FeatureMatrix& raw, const std::vector<std::string>& ids,
                 const std::vector<std::uint32_t>& order, std::size_t begin, std::size_t end,
                 std::string& out) {
  // A row's values go into one buffer and onto `out` in one append: appending each value and
  // comma (55 appends a row) was most of the render's time.
  std::vector<char> values(raw.cols * (kShortestMaxBytes + 1) + 1);
  for (std::size_t i = begin; i < end; ++i) {
    const std::uint32_t u = order[i];
    if (u >= raw.rows) throw RuntimeError("features_csv: row order out of range");
    append_csv_field(out, ids[u]);
    const float* row = raw.values.data() + static_cast<std::size_t>(u) * raw.cols;
    char* p = values.data();
    for (std::size_t j = 0; j < raw.cols; ++j) {
      *p++ = ',';
      p = write_shortest(p, row[j]);
    }
    *p++ = '\n';
    out.append(values.data(), p);
  }
}

// Renders the table, handing about kChunkBytes at a time to `flush` (which may empty the
// buffer), so a file of any size is written without holding all of it in memory; the rows on
// all threads, in order (render_in_order).
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
  render_in_order(
      order.size(), kBlockRows,
      [&](std::size_t begin, std::size_t end, std::string& out) {
        render_rows(raw, ids, order, begin, end, out);
      },
      [&](std::string& part) {
        buf += part;
        if (buf.size() >= kChunkBytes) flush(buf);
      });
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
