// Which columns profiles read on the log scale, and the stderr segment table.
#include "pipeline/segment.hpp"

#include <algorithm>
#include <cstdio>

namespace segmint::pipeline {

std::vector<std::uint8_t> log_scale_columns(const std::vector<std::string>& raw_names,
                                            const Scaler& scaler) {
  std::vector<std::uint8_t> flags(raw_names.size(), 0);
  for (std::size_t i = 0; i < scaler.source_columns.size() && i < scaler.log1p.size(); ++i) {
    int c = scaler.source_columns[i];
    if (c >= 0 && static_cast<std::size_t>(c) < flags.size() && scaler.log1p[i]) flags[c] = 1;
  }
  for (const FeatureInfo& f : feature_catalog()) {
    int j = feature_index(raw_names, f.name);
    if (j >= 0 && f.log1p) flags[static_cast<std::size_t>(j)] = 1;
  }
  return flags;
}

namespace {
/// Up to four columns worth a glance: the RFM core when present, else the first columns.
std::vector<int> key_columns(const Profiles& p) {
  std::vector<int> cols;
  for (const char* n : {"recency_days", "frequency", "monetary", "avg_order_value", "views",
                        "tenure_days"}) {
    int j = feature_index(p.features, n);
    if (j >= 0 && cols.size() < 4) cols.push_back(j);
  }
  if (cols.empty()) {
    for (int j = 0; j < static_cast<int>(p.features.size()) && j < 4; ++j) cols.push_back(j);
  }
  return cols;
}
}  // namespace

std::string segment_table(const Profiles& p, const std::vector<std::string>& names,
                          const std::vector<int>& segment_ids) {
  std::size_t name_w = 12;
  for (const auto& n : names) name_w = std::max(name_w, n.size());
  std::vector<int> cols = key_columns(p);
  std::vector<std::size_t> col_w;
  char buf[256];
  std::string out;
  std::snprintf(buf, sizeof buf, "%-7s %-*s %9s %6s", "segment", int(name_w), "name", "users",
                "share");
  out += buf;
  for (int j : cols) {
    const std::string& f = p.features[static_cast<std::size_t>(j)];
    col_w.push_back(std::max<std::size_t>(10, f.size()));
    std::snprintf(buf, sizeof buf, "  %*s", int(col_w.back()), f.c_str());
    out += buf;
  }
  out += '\n';
  for (std::size_t c = 0; c < p.segments.size(); ++c) {
    const SegmentProfile& s = p.segments[c];
    const long long id = c < segment_ids.size() ? segment_ids[c] : static_cast<long long>(c);
    std::snprintf(buf, sizeof buf, "%-7lld %-*s %9lld %5.1f%%", id, int(name_w),
                  c < names.size() ? names[c].c_str() : "", static_cast<long long>(s.size),
                  100.0 * s.share);
    out += buf;
    for (std::size_t i = 0; i < cols.size(); ++i) {
      std::snprintf(buf, sizeof buf, "  %*.*f", int(col_w[i]), 2,
                    s.mean[static_cast<std::size_t>(cols[i])]);
      out += buf;
    }
    out += '\n';
  }
  return out;
}

}  // namespace segmint::pipeline
