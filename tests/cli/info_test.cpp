// segmint info: counts as JSON on the shared real data sets, exit codes and messages on bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace segmint::test {
namespace {

nlohmann::json info_json(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"info", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST(InfoShared, OnlineRetailII) {
  auto path = shared_dataset("online_retail_II_2009-2010.csv.gz");
  if (!path) GTEST_SKIP() << "../shared/datasets/online_retail_II_2009-2010.csv.gz absent";
  auto j = info_json({"--events", *path});
  EXPECT_EQ(j["rows"], 525461);
  EXPECT_EQ(j["rows_without_user"], 107927);
  EXPECT_EQ(j["users"], 4383);
  EXPECT_EQ(j["orders"], 28816);
  EXPECT_EQ(j["cancelled_orders"], 4592);
  EXPECT_EQ(j["bad_rows"], 0);
  EXPECT_EQ(j["files"][0]["schema"], "online-retail");
}

TEST(InfoShared, Rees46Head) {
  auto path = shared_dataset("2019-Oct_head17k.csv");
  if (!path) GTEST_SKIP() << "../shared/datasets/2019-Oct_head17k.csv absent";
  auto j = info_json({"--events", *path});
  EXPECT_EQ(j["rows"], 17435);
  EXPECT_EQ(j["users"], 4505);
  EXPECT_EQ(j["events_by_type"]["view"], 17056);
  EXPECT_EQ(j["events_by_type"]["cart"], 165);
  EXPECT_EQ(j["events_by_type"]["purchase"], 214);
  EXPECT_EQ(j["time_min"], "2019-10-01 00:00:00 UTC");
  EXPECT_EQ(j["files"][0]["schema"], "rees46");
}

TEST(InfoShared, Taobao) {
  auto path = shared_dataset("taobao_userbehavior_814users.csv.gz");
  if (!path) GTEST_SKIP() << "../shared/datasets/taobao_userbehavior_814users.csv.gz absent";
  auto j = info_json({"--events", *path});
  EXPECT_EQ(j["rows"], 84287);
  EXPECT_EQ(j["users"], 814);
  EXPECT_EQ(j["files"][0]["schema"], "taobao");
}

TEST(Info, TextOutputAndSeveralFilesAsListAndPositional) {
  TempDir dir;
  std::string a = dir.file("a.csv"), b = dir.file("b.csv"), c = dir.file("c.csv");
  const std::string header = "user_id,item_id,category_id,behavior_type,timestamp\n";
  write_file(a, header + "1,2,3,pv,1511544070\n");
  write_file(b, header + "2,2,3,buy,1511544071\n");
  write_file(c, header + "1,2,3,cart,1511544072\n");
  auto j = info_json({"--events", a + "," + b, c});
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["users"], 2);
  EXPECT_EQ(j["files"].size(), 3u);
  EXPECT_EQ(j["time_max_unix"], 1511544072);
  auto r = run_cli({"info", "--events", a, "--events", b});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("users              2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("purchase         1"), std::string::npos) << r.out;
}

TEST(Info, BadRowExitsTwoWithFileAndLineOrSkipsAndCounts) {
  TempDir dir;
  std::string path = dir.file("bad.csv");
  write_file(path, "user_id,item_id,category_id,behavior_type,timestamp\n1,2,3,pv,1511544070\n"
                   "2,2,3,pv,soon\n3,2,3,pv,1511544070\n");
  auto r = run_cli({"info", "--events", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ":3: cannot parse time 'soon'"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  auto j = info_json({"--events", path, "--on-bad-row", "skip"});
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["bad_rows"], 1);
  EXPECT_EQ(j["users"], 2);
}

TEST(Info, MappingOptionsAndUsageErrors) {
  TempDir dir;
  std::string path = dir.file("m.csv");
  write_file(path, "who,when,what\nann,1569888000,opened\nbob,1569888001,clicked\n");
  auto j = info_json({"--events", path, "--map", "user=who,time=when,type=what", "--type-map",
                      "opened=email_open,clicked=email_click", "--batch-rows", "1"});
  EXPECT_EQ(j["files"][0]["schema"], "custom");
  EXPECT_EQ(j["events_by_type"]["email_open"], 1);
  EXPECT_EQ(j["events_by_type"]["email_click"], 1);
  EXPECT_EQ(run_cli({"info"}).exit_code, 2);
  EXPECT_EQ(run_cli({"info", "--events", path, "--on-bad-row", "maybe"}).exit_code, 2);
  EXPECT_EQ(run_cli({"info", "--events", path, "--map", "user"}).exit_code, 2);
  EXPECT_EQ(run_cli({"info", "--events", path, "--map", "user=who", "--type-map", "a=b"}).exit_code,
            2);
  auto missing = run_cli({"info", "--events", dir.file("nope.csv")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.csv: cannot open"), std::string::npos);
}

}  // namespace segmint::test
