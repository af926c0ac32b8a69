// Deterministic user sample and a small PCA (Jacobi eigen-decomposition of the d x d covariance).
#include "report/projection.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "common/atomic_file.hpp"
#include "report/labels.hpp"
#include "segmint/error.hpp"

namespace segmint::report {
namespace {

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

/// Eigen-decomposition of the symmetric d x d matrix `a` (row-major, destroyed) by cyclic
/// Jacobi rotations; returns eigenvalues, `v` receives eigenvectors as columns.
std::vector<double> jacobi_eigen(std::vector<double>& a, std::size_t d, std::vector<double>& v) {
  v.assign(d * d, 0);
  for (std::size_t i = 0; i < d; ++i) v[i * d + i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t p = 0; p < d; ++p)
      for (std::size_t q = p + 1; q < d; ++q) off += a[p * d + q] * a[p * d + q];
    if (off < 1e-22) break;
    for (std::size_t p = 0; p < d; ++p) {
      for (std::size_t q = p + 1; q < d; ++q) {
        double apq = a[p * d + q];
        if (std::fabs(apq) < 1e-300) continue;
        double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        double t = (theta >= 0 ? 1 : -1) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < d; ++k) {  // A = J^T A J, columns then rows
          double akp = a[k * d + p], akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < d; ++k) {
          double apk = a[p * d + k], aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < d; ++k) {
          double vkp = v[k * d + p], vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  std::vector<double> values(d);
  for (std::size_t i = 0; i < d; ++i) values[i] = a[i * d + i];
  return values;
}

/// "more Orders, fewer Product views": the two features loading most on an axis.
std::string axis_label(const std::vector<std::string>& names, const double* axis, std::size_t d) {
  std::vector<std::size_t> order(d);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(axis[a]) > std::fabs(axis[b]);
  });
  std::string out;
  for (std::size_t i = 0; i < std::min<std::size_t>(2, d); ++i) {
    if (!out.empty()) out += ", ";
    out += std::string(axis[order[i]] >= 0 ? "more " : "less ") + feature_label(names[order[i]]);
  }
  return out;
}

}  // namespace

std::vector<std::size_t> sample_rows(const std::vector<std::string>& ids, std::size_t count) {
  std::vector<std::size_t> rows(ids.size());
  std::iota(rows.begin(), rows.end(), 0);
  if (count < rows.size()) {
    std::vector<std::uint64_t> h(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) h[i] = fnv1a(ids[i]);
    auto by_hash = [&](std::size_t a, std::size_t b) {
      return h[a] != h[b] ? h[a] < h[b] : ids[a] < ids[b];
    };
    std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(count), rows.end(),
                     by_hash);
    rows.resize(count);
    std::sort(rows.begin(), rows.end());
  }
  return rows;
}

std::vector<double> principal_axes(const FeatureMatrix& x, double explained[2]) {
  const std::size_t n = x.rows, d = x.cols;
  explained[0] = explained[1] = 0;
  std::vector<double> axes(d * 2, 0);
  if (n < 2 || d == 0) return axes;
  std::vector<double> mean(d, 0), cov(d * d, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) mean[j] += x.at(i, j);
  for (auto& m : mean) m /= static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t a = 0; a < d; ++a) {
      double da = x.at(i, a) - mean[a];
      for (std::size_t b = a; b < d; ++b) cov[a * d + b] += da * (x.at(i, b) - mean[b]);
    }
  }
  for (std::size_t a = 0; a < d; ++a)
    for (std::size_t b = a; b < d; ++b)
      cov[b * d + a] = cov[a * d + b] /= static_cast<double>(n - 1);
  std::vector<double> vectors;
  std::vector<double> values = jacobi_eigen(cov, d, vectors);
  std::vector<std::size_t> order(d);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
  double total = 0;
  for (double v : values) total += std::max(v, 0.0);
  for (std::size_t c = 0; c < std::min<std::size_t>(2, d); ++c) {
    std::size_t e = order[c];
    std::size_t big = 0;
    for (std::size_t j = 0; j < d; ++j) {
      if (std::fabs(vectors[j * d + e]) > std::fabs(vectors[big * d + e])) big = j;
    }
    double sign = vectors[big * d + e] < 0 ? -1 : 1;
    for (std::size_t j = 0; j < d; ++j) axes[c * d + j] = sign * vectors[j * d + e];
    explained[c] = total > 0 ? std::max(values[e], 0.0) / total : 0;
  }
  return axes;
}

Projection project_users(const FeatureMatrix& x, const std::vector<std::string>& ids,
                         const std::vector<int>& segment_ids, std::size_t max_points) {
  Projection p;
  p.population = static_cast<std::int64_t>(x.rows);
  const std::vector<std::size_t> rows = sample_rows(ids, max_points);
  FeatureMatrix s;
  s.rows = rows.size();
  s.cols = x.cols;
  s.names = x.names;
  s.values.reserve(rows.size() * x.cols);
  for (std::size_t r : rows) {
    for (std::size_t j = 0; j < x.cols; ++j) s.values.push_back(x.at(r, j));
  }
  const std::vector<double> axes = principal_axes(s, p.explained);
  for (std::size_t i = 0; i < s.rows; ++i) {
    double u = 0, v = 0;
    for (std::size_t j = 0; j < s.cols; ++j) {
      u += s.at(i, j) * axes[j];
      v += s.at(i, j) * axes[s.cols + j];
    }
    p.x.push_back(static_cast<float>(u));
    p.y.push_back(static_cast<float>(v));
    p.segment.push_back(segment_ids[rows[i]]);
  }
  for (int c = 0; c < 2 && s.cols > 0; ++c) {
    p.axis_label[c] =
        axis_label(s.names, axes.data() + static_cast<std::size_t>(c) * s.cols, s.cols);
  }
  return p;
}

void write_projection(const std::string& dir, const FeatureMatrix& x,
                      const std::vector<std::string>& ids, const std::vector<std::int32_t>& labels,
                      const std::vector<int>& segment_ids, std::size_t max_points) {
  std::vector<int> id_of_row(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto row = static_cast<std::size_t>(labels[i]);
    id_of_row[i] = row < segment_ids.size() ? segment_ids[row] : labels[i];
  }
  write_file_atomic(dir + "/projection.json",
                    projection_json(project_users(x, ids, id_of_row, max_points)));
}

std::string projection_json(const Projection& p) {
  nlohmann::json j;
  j["population"] = p.population;
  j["explained"] = {p.explained[0], p.explained[1]};
  j["axes"] = {p.axis_label[0], p.axis_label[1]};
  nlohmann::json pts = nlohmann::json::array();
  for (std::size_t i = 0; i < p.x.size(); ++i) {
    pts.push_back(
        {std::round(p.x[i] * 1000) / 1000, std::round(p.y[i] * 1000) / 1000, p.segment[i]});
  }
  j["points"] = std::move(pts);
  return j.dump() + "\n";
}

Projection projection_from_json(const std::string& text, const std::string& name) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    Projection p;
    p.population = j.at("population").get<std::int64_t>();
    for (int c = 0; c < 2; ++c) {
      p.explained[c] = j.at("explained").at(c).get<double>();
      p.axis_label[c] = j.at("axes").at(c).get<std::string>();
    }
    for (const auto& pt : j.at("points")) {
      p.x.push_back(pt.at(0).get<float>());
      p.y.push_back(pt.at(1).get<float>());
      p.segment.push_back(pt.at(2).get<int>());
    }
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(name, 0, std::string("not a projection file: ") + e.what());
  }
}

}  // namespace segmint::report
