// features.csv of a nightly run (raw per-user features, for checking incremental == one shot).
#include "nightly/run_writer.hpp"

#include <filesystem>

#include "common/atomic_file.hpp"
#include "outputs/outputs.hpp"

namespace segmint::nightly {

void write_features_csv(const UserDictionary& users, const FeatureMatrix& raw,
                        const std::string& dir) {
  AtomicFile out((std::filesystem::path(dir) / "features.csv").string());
  std::string buf = "user_id";
  for (const auto& n : raw.names) buf += "," + pipeline::csv_field(n);
  buf += "\n";
  for (std::uint32_t u : users.sorted_order()) {
    if (u >= raw.rows) continue;  // an id interned without any event kept
    buf += pipeline::csv_field(users.id(u));
    for (std::size_t j = 0; j < raw.cols; ++j) buf += "," + pipeline::format_number(raw.at(u, j));
    buf += "\n";
    if (buf.size() > (1u << 20)) {
      out.write(buf);
      buf.clear();
    }
  }
  out.write(buf);
  out.commit();
}

}  // namespace segmint::nightly
