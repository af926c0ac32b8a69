// `segmint generate` and `segmint convert` from the command line: outputs, exit codes, nothing
// written on bad options, thread-count independence, and planted archetypes that k-means finds.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace segmint::test
