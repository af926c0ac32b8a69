// `segmint generate` and `segmint convert` from the command line: outputs, exit codes, nothing
// written on bad options, thread-count independence, and planted archetypes that k-means finds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace segmint::test {
namespace {

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CliGenerate, WritesEventsTruthAndDescription) {
  TempDir dir;
  auto r = run_cli({"generate", "--users", "300", "--out", dir.file("g"), "--seed", "4",
                    "--days", "10", "--start", "2020-02-25"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(list_dir(dir.file("g")),
            (std::vector<std::string>{"events.csv", "generate.json", "truth.csv"}));
  std::string events = read_file(dir.file("g/events.csv"));
  EXPECT_EQ(count_lines(read_file(dir.file("g/truth.csv"))), 301u);
  EXPECT_NE(r.out.find("users 300\nevents " + std::to_string(count_lines(events) - 1) + "\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(events.find("\n2020-02-29 "), std::string::npos);  // the window spans the leap day
  EXPECT_EQ(events.find("\n2020-03-06 "), std::string::npos);  // and ends after 10 days
}

TEST(CliGenerate, BadOptionsExitTwoAndWriteNothing) {
  TempDir dir;
  const std::vector<std::vector<std::string>> cases = {
      {"--users", "0", "--out", dir.file("g")},
      {"--users", "10", "--out", dir.file("g"), "--start", "2019-02-30"},
      {"--users", "10", "--out", dir.file("g"), "--days", "0"},
      {"--users", "10", "--out", dir.file("g"), "--threads", "-1"},
      {"--users", "10"},
      {"--out", dir.file("g")},
  };
  for (const auto& args : cases) {
    std::vector<std::string> argv = {"generate"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_cli(argv);
    EXPECT_EQ(r.exit_code, 2) << args[1] << " " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  EXPECT_TRUE(list_dir(dir.path().string()).empty());
}

TEST(CliGenerate, ThreadCountDoesNotChangeTheBytes) {
  TempDir dir;
  for (const char* t : {"1", "2"}) {
    auto r = run_cli({"generate", "--users", "2100", "--out", dir.file(std::string("t") + t),
                      "--seed", "8", "--threads", t});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(read_file(dir.file("t1/events.csv")), read_file(dir.file("t2/events.csv")));
  EXPECT_EQ(read_file(dir.file("t1/generate.json")), read_file(dir.file("t2/generate.json")));
}

TEST(CliGenerate, PlantedArchetypesAreFoundByKMeans) {
  auto python = python_with_sklearn();
  if (!python) GTEST_SKIP() << "no python3 with scikit-learn (set SEGMINT_PYTHON)";
  TempDir dir;
  auto r = run_cli({"generate", "--users", "1400", "--out", dir.file("g"), "--seed", "21"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // An independent feature computation + scikit-learn k-means; exit 1 when ARI < 0.9.
  std::string cmd = shell_quote(*python) + " " +
                    shell_quote(std::string(SEGMINT_SOURCE_DIR) + "/datasets/check_planted.py") +
                    " " + shell_quote(dir.file("g")) + " --min-ari 0.9 >" +
                    shell_quote(dir.file("ari.json")) + " 2>" + shell_quote(dir.file("ari.err"));
  int status = std::system(cmd.c_str());
  EXPECT_EQ(status, 0) << read_file(dir.file("ari.json")) << read_file(dir.file("ari.err"));
}

TEST(CliGenerate, PlantedArchetypesSurviveSegmintFeatures) {
  auto python = python_with_sklearn();
  if (!python) GTEST_SKIP() << "no python3 with scikit-learn (set SEGMINT_PYTHON)";
  TempDir dir;
  ASSERT_EQ(run_cli({"generate", "--users", "1400", "--out", dir.file("g"), "--seed", "22"}).exit_code, 0);
  auto r = run_cli({"features", "--events", dir.file("g/events.csv"), "--out", dir.file("f.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // segmint's own feature table, log1p-zscore as its default transform, k-means with k = 7.
  std::string cmd = shell_quote(*python) + " " +
                    shell_quote(std::string(SEGMINT_SOURCE_DIR) + "/datasets/check_planted.py") +
                    " " + shell_quote(dir.file("g")) + " --min-ari 0.9 --features " +
                    shell_quote(dir.file("f.csv")) + " >" + shell_quote(dir.file("ari.json")) +
                    " 2>" + shell_quote(dir.file("ari.err"));
  EXPECT_EQ(std::system(cmd.c_str()), 0) << read_file(dir.file("ari.json")) << read_file(dir.file("ari.err"));
}

/// `segmint info --json` of `path` without what legitimately differs between a file and its
/// store (file names, schema, bytes read).
nlohmann::json info_counts(const std::string& path) {
  auto r = run_cli({"info", "--json", "--events", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  j.erase("files");
  j.erase("bytes");
  return j;
}

TEST(CliConvert, StoreReportsTheSameCountsAsItsCsv) {
  TempDir dir;
  ASSERT_EQ(run_cli({"generate", "--users", "400", "--out", dir.file("g"), "--seed", "2"}).exit_code, 0);
  auto r = run_cli({"convert", "--events", dir.file("g/events.csv"), "--out", dir.file("g.sgm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto csv = info_counts(dir.file("g/events.csv"));
  EXPECT_NE(r.out.find("events " + csv["events"].dump() + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("users 400\n"), std::string::npos) << r.out;
  EXPECT_EQ(info_counts(dir.file("g.sgm")), csv);
  // A store is an input like any other, also to convert itself.
  ASSERT_EQ(run_cli({"convert", "--events", dir.file("g.sgm"), "--out", dir.file("h.sgm")}).exit_code, 0);
  EXPECT_EQ(info_counts(dir.file("h.sgm")), csv);
}

TEST(CliConvert, SharedDataSetsKeepTheirCounts) {
  int found = 0;
  for (const char* name : {"online_retail_II_2009-2010.csv.gz", "2019-Oct_head17k.csv",
                           "taobao_userbehavior_814users.csv.gz"}) {
    auto path = shared_dataset(name);
    if (!path) continue;
    ++found;
    TempDir dir;
    auto r = run_cli({"convert", "--events", *path, "--out", dir.file("s.sgm")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Rows without a user and cancelled invoices are counts of the input, kept by the store.
    EXPECT_EQ(info_counts(dir.file("s.sgm")), info_counts(*path)) << name;
  }
  if (found == 0) GTEST_SKIP() << "../shared/datasets is absent";
}

TEST(CliConvert, BadInputExitsTwoAndWritesNothing) {
  TempDir dir;
  write_file(dir.file("bad.csv"),
             "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,"
             "user_session\n"
             "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\n"
             "not a time,view,1,2,,,1.00,7,s\n");
  auto r = run_cli({"convert", "--events", dir.file("bad.csv"), "--out", dir.file("out.sgm")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.csv:3:"), std::string::npos) << r.err;

  ASSERT_EQ(run_cli({"generate", "--users", "50", "--out", dir.file("g")}).exit_code, 0);
  ASSERT_EQ(run_cli({"convert", "--events", dir.file("g/events.csv"), "--out", dir.file("g.sgm")}).exit_code, 0);
  std::string store = read_file(dir.file("g.sgm"));
  write_file(dir.file("cut.sgm"), store.substr(0, store.size() / 2));
  r = run_cli({"convert", "--events", dir.file("cut.sgm"), "--out", dir.file("out.sgm")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cut.sgm: truncated"), std::string::npos) << r.err;
  r = run_cli({"convert", "--out", dir.file("out.sgm")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(list_dir(dir.path().string()),
            (std::vector<std::string>{"bad.csv", "cut.sgm", "g", "g.sgm"}));
}

}  // namespace
}  // namespace segmint::test
