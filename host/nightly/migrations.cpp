// count_migrations() and its CSV / JSON forms.
#include "nightly/migrations.hpp"

#include <algorithm>
#include <map>

#include "common/text.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {
namespace {
std::vector<SegmentRef> sorted(std::vector<SegmentRef> s) {
  std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return s;
}

long find_index(const std::vector<SegmentRef>& s, int id) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i].id == id) return static_cast<long>(i);
  }
  return -1;
}
}  // namespace

std::uint64_t Migrations::size_before(int id) const {
  long f = find_index(from, id);
  if (f < 0) return 0;
  std::uint64_t s = 0;
  for (std::size_t t = 0; t < to.size(); ++t) s += at(f, t);
  return s;
}

std::uint64_t Migrations::size_after(int id) const {
  long t = find_index(to, id);
  if (t < 0) return 0;
  std::uint64_t s = new_users[t];
  for (std::size_t f = 0; f < from.size(); ++f) s += at(f, t);
  return s;
}

Migrations count_migrations(const std::vector<SegmentRef>& from, const std::vector<SegmentRef>& to,
                            const std::vector<std::int32_t>& before,
                            const std::vector<std::int32_t>& after) {
  Migrations m;
  m.from = sorted(from);
  m.to = sorted(to);
  std::map<int, std::size_t> fi, ti;
  for (std::size_t i = 0; i < m.from.size(); ++i) fi[m.from[i].id] = i;
  for (std::size_t i = 0; i < m.to.size(); ++i) ti[m.to[i].id] = i;
  m.counts.assign(m.from.size() * m.to.size(), 0);
  m.new_users.assign(m.to.size(), 0);
  if (before.size() > after.size()) {
    throw RuntimeError("migrations: more users yesterday than tonight (state lost users)");
  }
  for (std::size_t u = 0; u < after.size(); ++u) {
    auto t = ti.find(after[u]);
    if (t == ti.end()) throw RuntimeError("migrations: unknown segment id tonight");
    std::int32_t b = u < before.size() ? before[u] : -1;
    if (b < 0) {
      ++m.new_users[t->second];
      ++m.new_total;
      continue;
    }
    auto f = fi.find(b);
    if (f == fi.end()) throw RuntimeError("migrations: unknown segment id yesterday");
    ++m.counts[f->second * m.to.size() + t->second];
    (b == after[u] ? m.stayed : m.moved) += 1;
  }
  return m;
}

std::string migrations_csv(const Migrations& m) {
  std::string out = "from_segment,from_name,to_segment,to_name,users\n";
  for (std::size_t f = 0; f < m.from.size(); ++f) {
    for (std::size_t t = 0; t < m.to.size(); ++t) {
      out += std::to_string(m.from[f].id) + "," + csv_field(m.from[f].name) + "," +
             std::to_string(m.to[t].id) + "," + csv_field(m.to[t].name) + "," +
             std::to_string(m.at(f, t)) + "\n";
    }
  }
  for (std::size_t t = 0; t < m.to.size(); ++t) {
    out += "new,," + std::to_string(m.to[t].id) + "," + csv_field(m.to[t].name) + "," +
           std::to_string(m.new_users[t]) + "\n";
  }
  return out;
}

nlohmann::json migrations_json(const Migrations& m) {
  nlohmann::json j;
  std::vector<int> from_ids, to_ids;
  for (const auto& s : m.from) from_ids.push_back(s.id);
  for (const auto& s : m.to) to_ids.push_back(s.id);
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t f = 0; f < m.from.size(); ++f) {
    std::vector<std::uint64_t> row(m.counts.begin() + f * m.to.size(),
                                   m.counts.begin() + (f + 1) * m.to.size());
    rows.push_back(row);
  }
  j["from"] = from_ids;
  j["to"] = to_ids;
  j["counts"] = rows;
  j["new_users"] = m.new_users;
  j["users_stayed"] = m.stayed;
  j["users_moved"] = m.moved;
  j["users_new"] = m.new_total;
  // Size change over the union of ids: vanished segments go to 0, new ones start from 0.
  std::map<int, std::string> names;
  for (const auto& s : m.from) names[s.id] = s.name;
  for (const auto& s : m.to) names[s.id] = s.name;
  nlohmann::json sizes = nlohmann::json::array();
  for (const auto& [id, name] : names) {
    auto b = m.size_before(id), a = m.size_after(id);
    sizes.push_back({{"segment", id},
                     {"segment_name", name},
                     {"before", b},
                     {"after", a},
                     {"change", static_cast<std::int64_t>(a) - static_cast<std::int64_t>(b)}});
  }
  j["sizes"] = sizes;
  return j;
}

}  // namespace segmint::nightly
