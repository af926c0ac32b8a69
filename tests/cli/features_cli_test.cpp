// segmint features end to end: hand-checked values from a small CSV, option effects, and
// byte-identical output for any batch size, file split, row order or input format.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "segmint/features.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

// Taobao columns. u2: view, cart, buy 1 and 2 minutes apart on Mon 2024-01-01 from 00:00 UTC;
// u10: one view a day later.
const char* kSmall =
    "user_id,item_id,category_id,behavior_type,timestamp\n"
    "u2,i1,c1,pv,1704067200\n"
    "u2,i1,c1,cart,1704067260\n"
    "u2,i2,c2,buy,1704067380\n"
    "u10,i9,c2,pv,1704153600\n";

using Table = std::map<std::string, std::map<std::string, float>>;

Table parse(const std::string& csv, std::vector<std::string>* order = nullptr) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream hs(line);
  for (std::string f; std::getline(hs, f, ',');) names.push_back(f);
  Table t;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::string id, f;
    std::getline(ls, id, ',');
    if (order) order->push_back(id);
    for (std::size_t j = 1; std::getline(ls, f, ','); ++j) t[id][names.at(j)] = std::stof(f);
  }
  return t;
}

std::string features(const TempDir& dir, std::vector<std::string> args) {
  static int n = 0;
  const std::string out = dir.file("f" + std::to_string(n++) + ".csv");
  args.insert(args.begin(), "features");
  args.push_back("--out");
  args.push_back(out);
  CliResult r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? read_file(out) : std::string();
}

TEST(CliFeatures, SmallLogHandChecked) {
  TempDir dir;
  write_file(dir.file("e.csv"), kSmall);
  const std::string csv = features(dir, {"--events", dir.file("e.csv"), "--schema", "taobao"});
  std::string header = "user_id";
  for (const auto& f : feature_catalog()) header += "," + f.name;
  EXPECT_EQ(csv.substr(0, csv.find('\n')), header);
  std::vector<std::string> order;
  Table t = parse(csv, &order);
  EXPECT_EQ(order, (std::vector<std::string>{"u10", "u2"}));  // sorted as strings
  EXPECT_FLOAT_EQ(t["u2"]["recency_days"], static_cast<float>((86400.0 - 180) / 86400.0));
  EXPECT_FLOAT_EQ(t["u2"]["frequency"], 1.f);
  EXPECT_FLOAT_EQ(t["u2"]["carts"], 1.f);
  EXPECT_FLOAT_EQ(t["u2"]["cart_abandonment_rate"], 0.f);
  EXPECT_FLOAT_EQ(t["u2"]["sessions"], 1.f);
  EXPECT_FLOAT_EQ(t["u2"]["avg_session_minutes"], 3.f);
  EXPECT_FLOAT_EQ(t["u2"]["distinct_categories"], 2.f);
  EXPECT_FLOAT_EQ(t["u2"]["night_share"], 1.f);
  EXPECT_FLOAT_EQ(t["u2"]["weekend_share"], 0.f);
  EXPECT_FLOAT_EQ(t["u10"]["recency_days"], 1.f);  // never bought: from the data's first event
  EXPECT_FLOAT_EQ(t["u10"]["tenure_days"], 0.f);
}

TEST(CliFeatures, AsOfTimeZoneAndSessionGapOptions) {
  TempDir dir;
  write_file(dir.file("e.csv"), kSmall);
  const std::vector<std::string> in = {"--events", dir.file("e.csv"), "--schema", "taobao"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), in.begin(), in.end());
    return features(dir, extra);
  };
  const std::string date = with({"--as-of", "2024-01-03"});
  EXPECT_EQ(with({"--as-of", "2024-01-03T00:00:00Z"}), date);
  EXPECT_EQ(with({"--as-of", "1704240000"}), date);
  Table t = parse(date);
  EXPECT_FLOAT_EQ(t["u10"]["recency_days"], 2.f);
  EXPECT_FLOAT_EQ(t["u10"]["days_since_last_event"], 1.f);
  Table local = parse(with({"--tz-offset", "-05:00"}));  // Sunday 19:00 local
  EXPECT_FLOAT_EQ(local["u2"]["weekend_share"], 1.f);
  EXPECT_FLOAT_EQ(local["u2"]["evening_share"], 1.f);
  EXPECT_EQ(with({"--tz-offset", "-300"}), with({"--tz-offset", "-05:00"}));
  Table gap = parse(with({"--session-gap", "1"}));  // the buy came 2 minutes after the cart
  EXPECT_FLOAT_EQ(gap["u2"]["sessions"], 2.f);
  EXPECT_FLOAT_EQ(gap["u2"]["avg_session_minutes"], 0.5f);
}

TEST(CliFeatures, BadRowExitsTwoAndWritesNothing) {
  TempDir dir;
  write_file(dir.file("e.csv"), std::string(kSmall) + "u3,i1,c1,pv,notatime\n");
  CliResult r = run_cli({"features", "--events", dir.file("e.csv"), "--schema", "taobao", "--out",
                         dir.file("out.csv")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("e.csv:6"), std::string::npos) << r.err;
  EXPECT_EQ(list_dir(dir.path().string()), std::vector<std::string>{"e.csv"});
}

TEST(CliFeatures, GeneratedDataAnySplitGivesIdenticalBytes) {
  TempDir dir;
  CliResult g = run_cli({"generate", "--users", "250", "--out", dir.file("g"), "--seed", "9",
                         "--days", "6"});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  const std::string events = dir.file("g/events.csv");
  const std::string whole = features(dir, {"--events", events});
  ASSERT_FALSE(whole.empty());
  EXPECT_EQ(parse(whole).size(), 250u);

  // Header + body lines, shuffled and dealt into three files.
  std::string text = read_file(events);
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  const std::string header = lines.front();
  lines.erase(lines.begin());
  const std::size_t n = lines.size();
  for (std::size_t batches : {1u, 7u, 1000u}) {
    const std::string rows = std::to_string((n + batches - 1) / batches);
    EXPECT_EQ(features(dir, {"--events", events, "--batch-rows", rows}), whole) << batches;
  }
  std::mt19937_64 rng(5);
  std::shuffle(lines.begin(), lines.end(), rng);
  std::string parts[3] = {header + "\n", header + "\n", header + "\n"};
  for (std::size_t i = 0; i < n; ++i) parts[i % 3] += lines[i] + "\n";
  for (int f = 0; f < 3; ++f) write_file(dir.file("p" + std::to_string(f) + ".csv"), parts[f]);
  const std::string split = dir.file("p0.csv") + "," + dir.file("p1.csv") + "," + dir.file("p2.csv");
  EXPECT_EQ(features(dir, {"--events", split, "--schema", "rees46"}), whole);
  EXPECT_EQ(features(dir, {"--events", split, "--schema", "rees46", "--batch-rows", "97"}), whole);

  CliResult c = run_cli({"convert", "--events", events, "--out", dir.file("e.sgm")});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(features(dir, {"--events", dir.file("e.sgm")}), whole);
}

}  // namespace
}  // namespace segmint::test
