// Nightly state directory: lock, staging + commit, latest switch, recovery, retention.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "nightly/fs_ops.hpp"
#include "nightly/lock.hpp"
#include "nightly/state_dir.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::nightly {
namespace {
using test::read_file;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

TEST(NightlyLock, SecondHolderGetsLockedErrorNamingPid) {
  TempDir dir;
  {
    DirLock first(dir.path().string());
    try {
      DirLock second(dir.path().string());
      FAIL() << "second lock was granted";
    } catch (const LockedError& e) {
      EXPECT_NE(std::string(e.what()).find("pid " + std::to_string(::getpid())),
                std::string::npos)
          << e.what();
      EXPECT_EQ(exit_code(e.kind()), 4);
    }
  }
  DirLock again(dir.path().string());  // released with the first holder
}

TEST(NightlyState, RunNameSortsByDate) {
  EXPECT_EQ(run_name(0), "1970-01-01T000000Z");
  EXPECT_EQ(run_name(1700000000), "2023-11-14T221320Z");
}

TEST(NightlyState, CommitStateAndLoadVerifiesChecksums) {
  TempDir dir;
  StateDir sd(dir.path().string());
  EXPECT_FALSE(sd.load().has_value());
  std::string staged = sd.begin_state();
  write_file(staged + "/table.bin", "table bytes");
  Manifest m;
  m.as_of = 42;
  m.run = "r1";
  m.inputs = {"1:00"};
  m.model = {{"next_id", 3}};
  sd.commit_state(staged, m);
  EXPECT_FALSE(fs::exists(staged));
  auto loaded = sd.load();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->as_of, 42);
  EXPECT_EQ(loaded->run, "r1");
  EXPECT_EQ(loaded->inputs, std::vector<std::string>{"1:00"});
  EXPECT_EQ(loaded->model["next_id"], 3);
  ASSERT_EQ(loaded->files.count("table.bin"), 1u);
  EXPECT_EQ(loaded->files["table.bin"].size, 11u);

  // A second commit replaces the whole directory (old files do not linger).
  staged = sd.begin_state();
  write_file(staged + "/other.bin", "x");
  sd.commit_state(staged, m);
  EXPECT_FALSE(fs::exists(sd.state_path() + "/table.bin"));
  EXPECT_TRUE(fs::exists(sd.state_path() + "/other.bin"));

  write_file(sd.state_path() + "/other.bin", "y");  // corrupted behind our back
  try {
    sd.load();
    FAIL() << "corruption not detected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
}

TEST(NightlyState, RejectsOtherVersion) {
  TempDir dir;
  StateDir sd(dir.path().string());
  fs::create_directories(sd.state_path());
  write_file(sd.state_path() + "/manifest.json",
             R"({"format":"segmint-nightly-state","version":99,"as_of":0,"run":"",)"
             R"("inputs":[],"files":{},"model":{}})");
  EXPECT_THROW(sd.load(), InputError);
  write_file(sd.state_path() + "/manifest.json", "{truncated");
  EXPECT_THROW(sd.load(), InputError);
}

TEST(NightlyState, RunsCommitSwitchAndRetention) {
  TempDir dir;
  StateDir sd(dir.path().string());
  for (const char* name : {"2024-01-01T000000Z", "2024-01-02T000000Z", "2024-01-03T000000Z"}) {
    std::string staged = sd.begin_run(name);
    write_file(staged + "/summary.json", name);
    sd.commit_run(staged, name);
    sd.switch_latest(name);
  }
  EXPECT_EQ(sd.latest_run(), "2024-01-03T000000Z");
  EXPECT_EQ(read_file(sd.latest_path() + "/summary.json"), "2024-01-03T000000Z");
  EXPECT_EQ(sd.runs().size(), 3u);

  // Re-running a night replaces its directory in one step.
  std::string staged = sd.begin_run("2024-01-03T000000Z");
  write_file(staged + "/summary.json", "again");
  sd.commit_run(staged, "2024-01-03T000000Z");
  EXPECT_EQ(read_file(sd.latest_path() + "/summary.json"), "again");

  // keep 1, but the protected oldest run stays too.
  auto removed = sd.retain(1, {"2024-01-01T000000Z"});
  EXPECT_EQ(removed, std::vector<std::string>{"2024-01-02T000000Z"});
  EXPECT_EQ(sd.runs(), (std::vector<std::string>{"2024-01-01T000000Z", "2024-01-03T000000Z"}));
  EXPECT_TRUE(sd.retain(0, {}).empty());  // 0 keeps all
}

TEST(NightlyState, RefusesToPointLatestAtIncompleteRun) {
  TempDir dir;
  StateDir sd(dir.path().string());
  fs::create_directories(sd.run_path("half"));
  EXPECT_THROW(sd.switch_latest("half"), RuntimeError);
  EXPECT_TRUE(sd.latest_run().empty());
}

TEST(NightlyState, RecoverCleansLeftoversOfAKilledRun) {
  TempDir dir;
  StateDir sd(dir.path().string());
  std::string good = sd.begin_run("good");
  sd.commit_run(good, "good");
  sd.switch_latest("good");
  // What a kill -9 can leave: staged state and run dirs, an AtomicFile temp, a temp symlink,
  // an incomplete run dir, and a state dir renamed aside by the non-exchange fallback.
  fs::create_directories(dir.path() / ".state.tmp.123");
  fs::create_directories(sd.runs_path() + "/.x.tmp.123");
  fs::create_directories(sd.state_path());
  write_file(sd.state_path() + "/.table.bin.tmp.123", "partial");
  fs::create_symlink("runs/good", dir.path() / ".latest.tmp.123");
  fs::create_directories(sd.run_path("incomplete"));
  fs::create_directories(sd.runs_path() + "/.old.old.77");
  write_file(sd.runs_path() + "/.old.old.77/a", "kept");
  write_file(sd.runs_path() + "/.old.old.77/COMPLETE", "old");

  auto cleaned = sd.recover();
  EXPECT_GE(cleaned.size(), 6u);
  EXPECT_EQ(test::list_dir(dir.path().string()),
            (std::vector<std::string>{"latest", "runs", "state"}));
  EXPECT_TRUE(test::list_dir(sd.state_path()).empty());
  EXPECT_EQ(test::list_dir(sd.runs_path()), (std::vector<std::string>{"good", "old"}));
  EXPECT_EQ(read_file(sd.runs_path() + "/old/a"), "kept");  // restored, not lost
  EXPECT_EQ(sd.latest_run(), "good");
  EXPECT_TRUE(sd.recover().empty());  // nothing left to do
}

TEST(NightlyFsOps, FingerprintAndSymlink) {
  TempDir dir;
  write_file(dir.file("a"), "abc");
  auto f = fingerprint_file(dir.file("a"));
  EXPECT_EQ(f.size, 3u);
  EXPECT_EQ(f.hash, 0xe71fa2190541574bull);  // FNV-1a 64 of "abc" (published test vector)
  EXPECT_EQ(f.text(), "3:e71fa2190541574b");
  EXPECT_THROW(fingerprint_file(dir.file("missing")), InputError);
  switch_symlink("a", dir.file("link"));
  switch_symlink("b", dir.file("link"));
  EXPECT_EQ(read_symlink(dir.file("link")), "b");
  EXPECT_EQ(read_symlink(dir.file("a")), "");
}

}  // namespace
}  // namespace segmint::nightly
