// report.html in a real browser: headless Chromium driven over the DevTools protocol
// (tests/report/browser_check.py) loads the report of the demo run, of a sweep and of a
// two-night nightly: no console error, no network request, the policy refuses fetches, the
// sections are in the DOM and the charts are not blank in a screenshot kept in the build tree
// (test-artifacts/). Skips, saying why, without chromium or Python's websocket module.
#include <gtest/gtest.h>

#include "nightly_data.hpp"
#include "nightly_support.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

std::optional<std::string> chromium() {
  if (const char* env = std::getenv("SEGMINT_CHROMIUM")) return std::string(env);
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return std::string(name);
  }
  return std::nullopt;
}

class ReportBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    browser_ = chromium();
    if (!browser_) GTEST_SKIP() << "no chromium (Debian package chromium; scripts/deps.sh)";
    python_ = python_with("websocket");  // Debian python3-websocket (scripts/deps.sh)
    if (!python_) GTEST_SKIP() << "no python3 with websocket (Debian python3-websocket)";
    fs::create_directories(SEGMINT_ARTIFACT_DIR);
  }

  /// Runs browser_check.py on `page`; the screenshot goes to test-artifacts/<shot>.png.
  void check_page(const std::string& page, const std::string& shot, const std::string& expect,
                  const std::string& nonblank) {
    const std::string png = std::string(SEGMINT_ARTIFACT_DIR) + "/" + shot + ".png";
    const std::string log = tmp_.file(shot + ".log");
    std::string cmd =
        shell_quote(*python_) + " " +
        shell_quote(std::string(SEGMINT_SOURCE_DIR) + "/tests/report/browser_check.py") +
        " --chromium " + shell_quote(*browser_) + " --page " + shell_quote(page) +
        " --screenshot " + shell_quote(png) + " --expect " + shell_quote(expect) + " --nonblank " +
        shell_quote(nonblank) + " > " + shell_quote(log) + " 2>&1";
    int rc = std::system(cmd.c_str());
    EXPECT_EQ(rc, 0) << read_file(log);
    EXPECT_TRUE(fs::exists(png)) << png;
  }

  TempDir tmp_;
  std::optional<std::string> browser_, python_;
};

TEST_F(ReportBrowser, DemoRunReport) {
  // The demo of scripts/demo.sh: 20,000 generated users, k = 7.
  ASSERT_EQ(run_cli({"generate", "--users", "20000", "--seed", "7", "--out", tmp_.file("data")})
                .exit_code,
            0);
  auto r = run_cli({"run", "--events", tmp_.file("data/events.csv"), "--k", "7", "--n-init", "5",
                    "--seed", "7", "--out", tmp_.file("run"), "--report"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string ids = "sizes,segments,heatmap,projection,size-chart,heatmap-table,projection-chart";
  for (int s = 0; s < 7; ++s) ids += ",segment-" + std::to_string(s);
  check_page(tmp_.file("run/report.html"), "report-demo-run", ids,
             "size-chart,heatmap-table,projection-chart");
}

TEST_F(ReportBrowser, SweepAndTwoNightNightlyReports) {
  ASSERT_EQ(run_cli({"generate", "--users", "3000", "--seed", "7", "--days", "30", "--out",
                     tmp_.file("data")})
                .exit_code,
            0);
  auto s = run_cli({"sweep", "--events", tmp_.file("data/events.csv"), "--k", "2..6", "--seed", "1",
                    "--report", tmp_.file("sweep.html")});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  check_page(tmp_.file("sweep.html"), "report-sweep",
             "sweep,sweep-inertia,sweep-silhouette,sweep-db,sweep-ch",
             "sweep-inertia,sweep-silhouette,sweep-db,sweep-ch");

  DayData g;
  g.days = 2;
  g.shift_day = 1;
  g.shift_users = 30;  // browsers who start buying on night 2: something migrates
  fs::create_directories(tmp_.file("days"));
  const auto files = write_days(g, tmp_.file("days"));
  const std::string state = tmp_.file("state");
  for (const auto& f : files) {
    auto n = night(state, f, {"--report"});
    ASSERT_EQ(n.exit_code, 0) << n.err;
  }
  check_page(state + "/latest/report.html", "report-nightly",
             "sizes,segments,heatmap,projection-chart,nightly,nightly-sizes,migrations,"
             "nightly-size-chart,migration-table",
             "size-chart,heatmap-table,projection-chart,nightly-size-chart,migration-table");
}

}  // namespace
}  // namespace segmint::test
