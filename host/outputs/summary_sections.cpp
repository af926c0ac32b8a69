// Rendering of summary.json's heavy_users and quality sections, and of heavy_users.csv.
#include "outputs/summary_sections.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "segmint/error.hpp"

namespace segmint::pipeline {
namespace {

using ojson = nlohmann::ordered_json;

std::int64_t id_of(const std::vector<int>& ids, std::size_t row) {
  return row < ids.size() ? ids[row] : static_cast<std::int64_t>(row);
}

/// 4 decimals: enough to compare runs, and stable against last-bit differences between builds.
ojson rounded(double v, bool present = true) {
  if (!present || !std::isfinite(v)) return nullptr;
  return std::round(v * 1e4) / 1e4;
}

}  // namespace

ojson heavy_users_json(const HeavyUsers& h, const std::vector<int>& segment_ids) {
  ojson fences = ojson::object();
  for (const auto& [measure, activity] : h.fences) fences[measure] = rounded(activity);
  ojson per = ojson::array();
  for (std::size_t c = 0; c < h.per_segment.size(); ++c) {
    per.push_back({{"segment", id_of(segment_ids, c)}, {"users", h.per_segment[c]}});
  }
  return {{"users", h.users}, {"iqr_multiple", h.iqr_multiple}, {"fences", fences},
          {"per_segment", per}};
}

ojson quality_json(const Quality& q, const std::vector<int>& segment_ids) {
  ojson segments = ojson::array();
  for (std::size_t c = 0; c < q.segments.size(); ++c) {
    const Quality::Segment& s = q.segments[c];
    segments.push_back({{"segment", id_of(segment_ids, c)},
                        {"cohesion", rounded(s.cohesion)},
                        {"separation", rounded(s.separation)},
                        {"boundary_share", rounded(s.boundary_share)}});
  }
  return {{"users", q.users},
          {"silhouette", rounded(q.silhouette, q.has_silhouette)},
          {"silhouette_sample", q.silhouette_sample},
          {"boundary_ratio", q.boundary_ratio},
          {"boundary_share", rounded(q.boundary_share)},
          {"stability", rounded(q.stability, q.has_stability)},
          {"stability_users", q.stability_users},
          {"verdict", q.verdict},
          {"segments", segments}};
}

std::string heavy_users_csv(const std::vector<std::string>& ids,
                            const std::vector<std::uint8_t>& heavy,
                            const std::vector<std::int32_t>& labels,
                            const std::vector<std::string>& names,
                            const std::vector<double>& activity, const std::vector<double>& sessions,
                            const std::vector<int>& segment_ids) {
  if (labels.size() != ids.size() || (!heavy.empty() && heavy.size() != ids.size())) {
    throw RuntimeError("heavy_users_csv: ids, flags and labels differ in length");
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < heavy.size(); ++i) {
    if (heavy[i]) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  std::string out = "user_id,segment,segment_name,activity_events,sessions\n";
  for (std::size_t i : order) {
    const std::int32_t l = labels[i];
    out += csv_field(ids[i]) + ',';
    out += std::to_string(l >= 0 ? id_of(segment_ids, static_cast<std::size_t>(l)) : l) + ',';
    if (l >= 0 && static_cast<std::size_t>(l) < names.size()) out += csv_field(names[l]);
    out += ',' + format_number(i < activity.size() ? activity[i] : 0.0);
    out += ',' + format_number(i < sessions.size() ? sessions[i] : 0.0) + '\n';
  }
  return out;
}

}  // namespace segmint::pipeline
