// Faults the nightly scheduler meets: a full file system, an unwritable output, a memory limit.
// Each test shows the exit code, the message, and that the previous outputs are intact.
#include <gtest/gtest.h>

#include "fault_support.hpp"
#include "nightly_support.hpp"

namespace segmint::test {
namespace {

const char* const kRunFiles[] = {"assignments.csv", "centroids.csv", "model.json", "summary.json"};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::map<std::string, std::string> run_outputs(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const char* f : kRunFiles) out[f] = read_file(dir + "/" + f);
  return out;
}

// Generated events (small) shared by the tests.
const std::string& events() {
  static TempDir dir;
  static std::string path = [] {
    CliResult r = run_cli(
        {"generate", "--users", "300", "--seed", "4", "--days", "20", "--out", dir.file("gen")});
    if (r.exit_code != 0) throw std::runtime_error("generate failed: " + r.err);
    return dir.file("gen/events.csv");
  }();
  return path;
}

std::vector<std::string> run_args_into(const std::string& out, const std::string& seed) {
  return {"run",       "--events", events(),   "--k", "4",     "--seed", seed,
          "--threads", "1",        "--device", "cpu", "--out", out};
}

CliResult run_into(const std::string& out, const std::string& seed) {
  return run_cli(run_args_into(out, seed));
}

// No space: stops with exit 3 and the system's reason, leaves the last outputs as they were.
TEST(Faults, FullFileSystemKeepsPreviousRunOutputs) {
  Tmpfs fs(4 << 20);
  if (!fs.ok()) GTEST_SKIP() << fs.reason();
  const std::string out = fs.file("run");
  ASSERT_EQ(run_into(out, "1").exit_code, 0);
  const auto before = run_outputs(out);
  fs.fill();
  CliResult r = run_into(out, "2");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(has(r.err, "No space left on device")) << r.err;
  EXPECT_TRUE(run_outputs(out) == before) << "previous outputs changed";
  fs.remove_filler();
  ASSERT_EQ(run_into(out, "2").exit_code, 0);  // nothing left behind blocks the next run
  EXPECT_FALSE(run_outputs(out) == before);
}

TEST(Faults, FullFileSystemKeepsPreviousFeaturesAndAssignments) {
  Tmpfs fs(4 << 20);
  if (!fs.ok()) GTEST_SKIP() << fs.reason();
  TempDir model_dir;
  ASSERT_EQ(run_into(model_dir.file("m"), "1").exit_code, 0);
  const std::string features = fs.file("features.csv"), assigned = fs.file("assigned.csv");
  ASSERT_EQ(run_cli({"features", "--events", events(), "--out", features}).exit_code, 0);
  ASSERT_EQ(run_cli({"assign", "--model", model_dir.file("m/model.json"), "--events", events(),
                     "--out", assigned})
                .exit_code,
            0);
  const std::string f0 = read_file(features), a0 = read_file(assigned);
  fs.fill();
  CliResult r =
      run_cli({"features", "--events", events(), "--session-gap", "5", "--out", features});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(has(r.err, "No space left on device")) << r.err;
  r = run_cli({"assign", "--model", model_dir.file("m/model.json"), "--events", events(), "--out",
               assigned});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(has(r.err, "No space left on device")) << r.err;
  EXPECT_TRUE(read_file(features) == f0) << "features.csv changed";
  EXPECT_TRUE(read_file(assigned) == a0) << "assigned.csv changed";
}

TEST(Faults, FullFileSystemKeepsTheNightlyState) {
  Tmpfs fs(8 << 20);
  if (!fs.ok()) GTEST_SKIP() << fs.reason();
  TempDir data;
  auto days = write_days(DayData{}, data.path().string());
  const std::string state = fs.file("state");
  ASSERT_EQ(night(state, days[0]).exit_code, 0);
  const auto before = snapshot(state, false);
  fs.fill();
  CliResult r = night(state, days[1]);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(has(r.err, "No space left on device")) << r.err;
  fs.remove_filler();
  auto after = snapshot(state, false);
  EXPECT_TRUE(after.at("state/manifest.json") == before.at("state/manifest.json"));
  EXPECT_EQ(after.at("latest"), before.at("latest"));
  expect_valid_state(state);
  EXPECT_EQ(night(state, days[1]).exit_code, 0);  // recovers and goes on
}

TEST(Faults, ReadOnlyOutputKeepsPreviousOutputs) {
  Tmpfs fs(4 << 20);
  if (!fs.ok()) GTEST_SKIP() << fs.reason();
  const std::string out = fs.file("run"), features = fs.file("f.csv"), assigned = fs.file("a.csv");
  ASSERT_EQ(run_into(out, "1").exit_code, 0);
  ASSERT_EQ(run_cli({"features", "--events", events(), "--out", features}).exit_code, 0);
  const std::vector<std::string> assign = {
      "assign", "--model", out + "/model.json", "--events", events(), "--out", assigned};
  ASSERT_EQ(run_cli(assign).exit_code, 0);
  const auto before = run_outputs(out);
  const std::string f0 = read_file(features), a0 = read_file(assigned);
  ASSERT_TRUE(fs.set_read_only(true));
  for (const auto& args : {run_args_into(out, "2"),
                           std::vector<std::string>{"features", "--events", events(),
                                                    "--session-gap", "5", "--out", features},
                           assign}) {
    CliResult r = run_cli(args);
    EXPECT_EQ(r.exit_code, 3) << args[0] << ": " << r.err;
    EXPECT_TRUE(has(r.err, "Read-only file system")) << args[0] << ": " << r.err;
  }
  ASSERT_TRUE(fs.set_read_only(false));
  EXPECT_TRUE(run_outputs(out) == before) << "previous outputs changed";
  EXPECT_TRUE(read_file(features) == f0) << "features.csv changed";
  EXPECT_TRUE(read_file(assigned) == a0) << "a.csv changed";
}

// An address-space limit: the run either fits or stops with exit 3 and a message, whatever the
// limit; before the fix, bad_alloc thrown inside an OpenMP region aborted it (exit 134).
TEST(Faults, MemoryLimitStopsCleanly) {
  if (kAsanBuild) GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space";
  if (std::system("prlimit --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no prlimit";
  TempDir dir;
  CliResult g = run_cli({"generate", "--users", "4000", "--seed", "3", "--out", dir.file("g")});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  ASSERT_EQ(run_cli({"run", "--events", dir.file("g/events.csv"), "--k", "3", "--threads", "2",
                     "--out", dir.file("out")})
                .exit_code,
            0);
  auto before = run_outputs(dir.file("out"));
  // The address space the binary needs just to start (a CUDA build maps cuBLAS, hundreds of
  // MiB, before main), to 8 MiB: the limits tried start there.
  auto starts = [](long long mib) {
    return run_cli({"--help"}, "prlimit --as=" + std::to_string(mib << 20) + " --").exit_code == 0;
  };
  long long lo = 0, hi = 64;
  while (hi < 16384 && !starts(hi)) lo = hi, hi *= 2;
  while (hi - lo > 8) {
    const long long mid = (lo + hi) / 2;
    (starts(mid) ? hi : lo) = mid;
  }
  const long long base = hi;
  int stopped = 0;
  for (long long mib = base; mib <= base + 192; mib += 8) {
    const std::string env =
        "prlimit --as=" + std::to_string(mib << 20) + " --";
    CliResult r = run_cli({"run", "--events", dir.file("g/events.csv"), "--k", "4", "--threads",
                           "2", "--out", dir.file("out")},
                          env);
    if (r.exit_code == 0) {
      before = run_outputs(dir.file("out"));
      continue;
    }
    ++stopped;
    EXPECT_EQ(r.exit_code, 3) << mib << " MiB: " << r.err;
    EXPECT_TRUE(has(r.err, "out of memory") || has(r.err, "OpenMP runtime failing"))
        << mib << ": " << r.err;
    EXPECT_FALSE(has(r.err, "terminate called")) << r.err;
    EXPECT_TRUE(run_outputs(dir.file("out")) == before) << mib << " MiB: outputs changed";
  }
  EXPECT_GT(stopped, 0) << "no limit from " << base << " MiB up was low enough to fail";
}

TEST(Faults, MemoryBudgetRefusesBeforeAllocating) {
  TempDir dir;
  ASSERT_EQ(run_into(dir.file("out"), "1").exit_code, 0);
  const auto before = run_outputs(dir.file("out"));
  CliResult r = run_cli({"run", "--events", events(), "--k", "4", "--memory-budget", "200K",
                         "--out", dir.file("out")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(has(r.err, "memory budget of 200.0 KiB exceeded")) << r.err;
  EXPECT_TRUE(run_outputs(dir.file("out")) == before) << "previous outputs changed";
  EXPECT_EQ(run_cli({"run", "--events", events(), "--k", "4", "--memory-budget", "1G", "--out",
                     dir.file("out2")})
                .exit_code,
            0);
}

}  // namespace
}  // namespace segmint::test
