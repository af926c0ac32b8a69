// Heavy users (issue 19): 1 % users with 100x the activity, added to clean generated data, are
// kept out of the fit but still assigned and listed, and change no other user's segment.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "segments_test_data.hpp"

namespace segmint::test {
namespace {

/// Users whose truth.csv `heavy` column is 1.
std::set<std::string> heavy_ids(const std::string& truth) {
  std::set<std::string> out;
  for (const auto& row : read_csv_rows(truth)) {
    if (row.size() == 3 && row[2] == "1") out.insert(row[0]);
  }
  return out;
}

/// Appends the events of `users` from `events` to `out`, each user id and session id prefixed
/// with `prefix` so the added users are new users.
void append_users(const std::string& events, const std::set<std::string>& users,
                  const std::string& prefix, std::ofstream& out) {
  std::ifstream in(events);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto session = line.rfind(',');
    const auto user = line.rfind(',', session - 1);
    const std::string id = line.substr(user + 1, session - user - 1);
    if (!users.count(id)) continue;
    out << line.substr(0, user + 1) << prefix << id << ',' << prefix << line.substr(session + 1)
        << '\n';
  }
}

std::map<std::string, std::string> segment_of(const std::string& assignments) {
  std::map<std::string, std::string> out;
  const auto rows = read_csv_rows(assignments);
  for (std::size_t i = 1; i < rows.size(); ++i) out[rows[i][0]] = rows[i][1];
  return out;
}

}  // namespace

TEST(HeavyUsers, AddingOnePercentHundredfoldUsersChangesNoOtherSegment) {
  TempDir dir;
  const std::vector<std::string> gen = {"generate", "--users", "3000", "--seed", "11"};
  auto clean = gen, heavy = gen;
  clean.insert(clean.end(), {"--out", dir.file("clean")});
  heavy.insert(heavy.end(), {"--heavy-share", "0.01", "--heavy-factor", "100", "--out",
                             dir.file("heavy")});
  ASSERT_EQ(run_cli(clean).exit_code, 0);
  ASSERT_EQ(run_cli(heavy).exit_code, 0);
  const std::set<std::string> added = heavy_ids(dir.file("heavy/truth.csv"));
  ASSERT_GE(added.size(), 15u);
  {
    std::ofstream mixed(dir.file("mixed.csv"));
    mixed << read_file(dir.file("clean/events.csv"));
    append_users(dir.file("heavy/events.csv"), added, "9", mixed);
  }
  auto run = [&](const std::string& events, const std::string& out) {
    auto r = run_cli({"run", "--events", events, "--k", "7", "--seed", "3", "--as-of",
                      "2019-11-01", "--out", dir.file(out)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  run(dir.file("clean/events.csv"), "a");
  run(dir.file("mixed.csv"), "b");
  const auto before = segment_of(dir.file("a/assignments.csv"));
  const auto after = segment_of(dir.file("b/assignments.csv"));
  ASSERT_EQ(after.size(), before.size() + added.size());  // the heavy users are assigned too
  std::size_t changed = 0;
  for (const auto& [id, seg] : before) changed += after.at(id) != seg;
  EXPECT_EQ(changed, 0u);
  // Every added user is flagged: in heavy_users.csv and the summary's count.
  std::set<std::string> flagged;
  const auto listed = read_csv_rows(dir.file("b/heavy_users.csv"));
  for (std::size_t i = 1; i < listed.size(); ++i) flagged.insert(listed[i][0]);
  for (const auto& id : added) EXPECT_TRUE(flagged.count("9" + id)) << id;
  const auto s = nlohmann::json::parse(read_file(dir.file("b/summary.json")));
  EXPECT_EQ(s["heavy_users"]["users"].get<std::size_t>(), flagged.size());
}

}  // namespace segmint::test
