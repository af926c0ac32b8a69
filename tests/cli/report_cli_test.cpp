// segmint report and --report without a browser: what the page holds (CSP, no script, no
// address, sections, escaped names), which files --report adds, and usage errors.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace segmint::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ReportCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    ok_ = run_cli({"generate", "--users", "2000", "--seed", "3", "--days", "20", "--out",
                   dir_->file("data")})
              .exit_code == 0;
  }
  static void TearDownTestSuite() { delete dir_; }
  void SetUp() override { ASSERT_TRUE(ok_); }
  static std::string events() { return dir_->file("data/events.csv"); }
  static TempDir* dir_;
  static bool ok_;
};
TempDir* ReportCli::dir_ = nullptr;
bool ReportCli::ok_ = false;

TEST_F(ReportCli, ReportOfAPlainRunIsSelfContained) {
  TempDir out;
  ASSERT_EQ(run_cli({"run", "--events", events(), "--k", "5", "--seed", "1", "--out",
                     out.path().string()})
                .exit_code,
            0);
  EXPECT_FALSE(fs::exists(out.file("report.html")));  // default outputs are unchanged
  EXPECT_FALSE(fs::exists(out.file("projection.json")));
  auto r = run_cli({"report", "--run", out.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = read_file(out.file("report.html"));
  EXPECT_TRUE(contains(page,
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                       "&#39;none&#39;"));
  EXPECT_FALSE(contains(page, "<script"));
  EXPECT_FALSE(contains(page, "http://"));
  EXPECT_FALSE(contains(page, "https://"));
  for (const char* id : {"id=\"sizes\"", "id=\"segments\"", "id=\"heatmap\"", "id=\"projection\"",
                         "id=\"segment-4\""}) {
    EXPECT_TRUE(contains(page, id)) << id;
  }
  EXPECT_TRUE(contains(page, "Not available"));  // no projection.json without --report
  EXPECT_TRUE(contains(page, "2,000 users"));    // numbers for people
}

TEST_F(ReportCli, RunReportWritesTheMapAndThePage) {
  TempDir out;
  auto r = run_cli({"run", "--events", events(), "--k", "5", "--seed", "1", "--out",
                    out.path().string(), "--report"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out.file("projection.json")));
  const std::string page = read_file(out.file("report.html"));
  EXPECT_TRUE(contains(page, "id=\"projection-chart\""));
  EXPECT_FALSE(contains(page, "Not available"));
  // Re-rendering from the directory gives the same page.
  ASSERT_EQ(
      run_cli({"report", "--run", out.path().string(), "--out", out.file("again.html")}).exit_code,
      0);
  EXPECT_EQ(read_file(out.file("again.html")), page);
}

TEST_F(ReportCli, ColumnNamesFromUserTablesAreEscaped) {
  TempDir out;
  std::string rows;
  for (int i = 0; i < 40; ++i) {
    rows += "u" + std::to_string(i) + "," + std::to_string(i % 2 ? 10 + i % 5 : i % 3) + "," +
            std::to_string(i % 7) + "\n";
  }
  write_file(out.file("m.csv"), "id,<b>x</b>,y&z\n" + rows);
  ASSERT_EQ(run_cli({"cluster", "--matrix", out.file("m.csv"), "--k", "2", "--seed", "1", "--out",
                     out.file("c")})
                .exit_code,
            0);
  ASSERT_EQ(run_cli({"report", "--run", out.file("c")}).exit_code, 0);
  const std::string page = read_file(out.file("c/report.html"));
  EXPECT_FALSE(contains(page, "<b>x</b>"));
  EXPECT_TRUE(contains(page, "&lt;b&gt;x&lt;/b&gt;"));
  EXPECT_TRUE(contains(page, "y&amp;z"));
}

TEST_F(ReportCli, SweepJsonBecomesCurves) {
  TempDir out;
  auto s = run_cli({"sweep", "--events", events(), "--k", "2..4", "--seed", "1", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  write_file(out.file("sweep.json"), s.out);
  ASSERT_EQ(
      run_cli({"report", "--sweep", out.file("sweep.json"), "--out", out.file("s.html")}).exit_code,
      0);
  const std::string page = read_file(out.file("s.html"));
  for (const char* id : {"sweep-inertia", "sweep-silhouette", "sweep-db", "sweep-ch"}) {
    EXPECT_TRUE(contains(page, id)) << id;
  }
}

TEST_F(ReportCli, UsageAndInputErrors) {
  TempDir out;
  EXPECT_EQ(run_cli({"report"}).exit_code, 2);
  EXPECT_EQ(run_cli({"report", "--run", "a", "--sweep", "b"}).exit_code, 2);
  EXPECT_EQ(run_cli({"report", "--sweep", "b"}).exit_code, 2);  // needs --out
  auto r = run_cli({"report", "--run", out.file("nothing-here")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "summary.json")) << r.err;
}

}  // namespace
}  // namespace segmint::test
