// The generator's output format: REES46 header and well-formed rows, dates, users grouped and
// time-ordered, truth.csv naming every user, generate.json agreeing with the files.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "generate/generator.hpp"
#include "generate/rows.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

std::vector<std::string> split(const std::string& line, char sep = ',') {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out = split(text, '\n');
  EXPECT_EQ(out.back(), "");  // every line ends with a newline
  out.pop_back();
  return out;
}

TEST(GenerateFormat, CivilDates) {
  EXPECT_EQ(gen::civil_date(0), "1970-01-01");
  EXPECT_EQ(gen::civil_date(18170), "2019-10-01");  // 1569888000 / 86400
  EXPECT_EQ(gen::civil_date(18321), "2020-02-29");  // 18262 (2020-01-01) + 31 + 28
  std::int64_t day = -1;
  EXPECT_TRUE(gen::parse_civil_date("2019-10-01", day));
  EXPECT_EQ(day, 18170);
  EXPECT_TRUE(gen::parse_civil_date("2020-02-29", day));
  EXPECT_EQ(day, 18321);
  for (const char* bad : {"2019-02-29", "2019-1-01", "2019-13-01", "20191001", "2019-10-01x", ""}) {
    EXPECT_FALSE(gen::parse_civil_date(bad, day)) << bad;
  }
}

TEST(GenerateFormat, TimeText) {
  gen::RowFormatter f(gen::Window{1569888000, 30});
  std::string out;
  f.append_time(out, 1569888000 + 3661);
  f.append_time(out, 1569888000 + 29 * 86400 + 86399);
  EXPECT_EQ(out, "2019-10-01 01:01:01 UTC2019-10-30 23:59:59 UTC");
}

TEST(GenerateFormat, FilesAreWellFormed) {
  TempDir dir;
  gen::GenerateOptions o;
  o.users = 1500;
  o.seed = 11;
  o.days = 20;
  gen::GenerateStats s = gen::generate_dataset(o, dir.file("out"));
  EXPECT_EQ(list_dir(dir.file("out")),
            (std::vector<std::string>{"events.csv", "generate.json", "truth.csv"}));

  auto events = lines_of(read_file(dir.file("out/events.csv")));
  ASSERT_EQ(events[0], "event_time,event_type,product_id,category_id,category_code,brand,price,"
                       "user_id,user_session");
  EXPECT_EQ(events.size() - 1, s.events);
  const std::regex time_re(R"(2019-10-(0[1-9]|1[0-9]|20) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC)");
  const std::regex price_re(R"([0-9]+\.[0-9][0-9])");
  const std::regex uuid_re(R"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");
  const std::set<std::string> types = {"view", "cart", "remove_from_cart", "purchase"};
  std::set<std::string> finished;  // users whose rows are over: they must not come back
  std::string current, last_time;
  for (std::size_t i = 1; i < events.size(); ++i) {
    auto f = split(events[i]);
    ASSERT_EQ(f.size(), 9u) << events[i];
    EXPECT_TRUE(std::regex_match(f[0], time_re)) << f[0];
    EXPECT_TRUE(types.count(f[1])) << f[1];
    EXPECT_FALSE(f[2].empty());
    EXPECT_EQ(f[3].size(), 19u);
    EXPECT_TRUE(std::regex_match(f[6], price_re)) << f[6];
    EXPECT_TRUE(std::regex_match(f[8], uuid_re)) << f[8];
    if (f[7] != current) {
      ASSERT_FALSE(finished.count(f[7])) << "rows of user " << f[7] << " are not contiguous";
      finished.insert(current);
      current = f[7];
    } else {
      EXPECT_LE(last_time, f[0]) << "user " << current << " not in time order";  // text order = time order
    }
    last_time = f[0];
  }
  finished.insert(current);
  finished.erase("");

  auto truth = lines_of(read_file(dir.file("out/truth.csv")));
  ASSERT_EQ(truth[0], "user_id,archetype");
  ASSERT_EQ(truth.size(), 1501u);
  std::set<std::string> truth_users;
  for (std::size_t i = 1; i < truth.size(); ++i) {
    auto f = split(truth[i]);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0], std::to_string(gen::kFirstUserId + i - 1));
    truth_users.insert(f[0]);
  }
  EXPECT_EQ(truth_users, finished);  // every user has events, every event's user is in truth

  auto meta = nlohmann::json::parse(read_file(dir.file("out/generate.json")));
  EXPECT_EQ(meta["users"], 1500);
  EXPECT_EQ(meta["events"], s.events);
  EXPECT_EQ(meta["seed"], 11);
  EXPECT_EQ(meta["window"]["start"], "2019-10-01");
  EXPECT_EQ(meta["window"]["end_unix"], 1569888000 + 20 * 86400);
  EXPECT_EQ(meta["archetypes"].size(), 7u);
  EXPECT_GE(meta["time_range"]["min_unix"].get<std::int64_t>(), 1569888000);
  EXPECT_LT(meta["time_range"]["max_unix"].get<std::int64_t>(), 1569888000 + 20 * 86400);
}

TEST(GenerateFormat, InvalidOptionsWriteNothing) {
  TempDir dir;
  gen::GenerateOptions o;
  o.users = 0;
  EXPECT_THROW(gen::generate_dataset(o, dir.file("out")), UsageError);
  o.users = 10;
  o.days = 0;
  EXPECT_THROW(gen::generate_dataset(o, dir.file("out")), UsageError);
  EXPECT_TRUE(list_dir(dir.path().string()).empty());
}

}  // namespace
}  // namespace segmint::test
