// Progress on stderr: an updating line per stage on a pseudo-terminal (util-linux `script`),
// nothing in a redirected stderr, JSON progress objects with --log-format json, nothing but
// warnings and errors with --quiet.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.hpp"

namespace segmint::test {
namespace {

class Progress : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    ok_ = run_cli({"generate", "--users", "2000", "--seed", "5", "--days", "20", "--out",
                   dir_->file("data")})
              .exit_code == 0;
  }
  static void TearDownTestSuite() { delete dir_; }
  void SetUp() override {
    ASSERT_TRUE(ok_);
    if (std::system("command -v script >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "no `script` (util-linux) to give segmint a pseudo-terminal";
    }
  }
  static std::vector<std::string> run_args(const std::string& out) {
    return {"run",   "--events", dir_->file("data/events.csv"), "--k", "4", "--seed", "1",
            "--out", out};
  }
  /// Runs segmint with `args` on a pseudo-terminal; returns what the terminal showed.
  static std::string on_terminal(const std::vector<std::string>& args) {
    std::string cmd = shell_quote(SEGMINT_EXE);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    const std::string screen = dir_->file("screen.txt");
    std::string line = "script -qec " + shell_quote(cmd) + " /dev/null > " + shell_quote(screen) +
                       " 2>&1 </dev/null";
    EXPECT_EQ(std::system(line.c_str()), 0);
    return read_file(screen);
  }
  static TempDir* dir_;
  static bool ok_;
};
TempDir* Progress::dir_ = nullptr;
bool Progress::ok_ = false;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(Progress, TerminalGetsOneUpdatingLinePerStage) {
  TempDir out;
  const std::string screen = on_terminal(run_args(out.path().string()));
  EXPECT_TRUE(has(screen, "\r\x1b[Ksegmint: read: ")) << screen;
  EXPECT_TRUE(has(screen, " of ")) << screen;  // bytes of the total
  EXPECT_TRUE(has(screen, "users aggregated")) << screen;
  EXPECT_TRUE(has(screen, "\r\x1b[Ksegmint: k-means: iteration 1 of at most")) << screen;
  EXPECT_TRUE(has(screen, ", inertia ")) << screen;
  // A log line never lands inside a progress line: each starts on a fresh line.
  EXPECT_FALSE(has(screen, "aggregatedsegmint:")) << screen;
}

TEST_F(Progress, RedirectedStderrHasNoProgress) {
  TempDir out;
  auto r = run_cli(run_args(out.path().string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(has(r.err, "\r")) << r.err;
  EXPECT_FALSE(has(r.err, "users aggregated")) << r.err;
  EXPECT_FALSE(has(r.err, "k-means: iteration")) << r.err;
}

TEST_F(Progress, JsonLogsGetProgressObjects) {
  TempDir out;
  auto args = run_args(out.path().string());
  args.insert(args.end(), {"--log-format", "json"});
  auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.err);
  std::string line;
  int progress = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);  // every line is one JSON object
    if (j["level"] == "progress") {
      ++progress;
      EXPECT_TRUE(j.contains("stage") && j.contains("done") && j.contains("msg")) << line;
    }
  }
  EXPECT_GE(progress, 1) << r.err;
}

TEST_F(Progress, QuietShowsNeitherProgressNorInfo) {
  TempDir out;
  auto args = run_args(out.path().string());
  args.push_back("--quiet");
  const std::string screen = on_terminal(args);
  EXPECT_FALSE(has(screen, "segmint:")) << screen;
  EXPECT_TRUE(fs::exists(out.file("summary.json")));
}

}  // namespace
}  // namespace segmint::test
