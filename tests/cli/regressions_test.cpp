// Issue 13's reproducers, one test each, through the executable: each failed before its fix
// (run them against an older build with SEGMINT_TEST_EXE=path/to/segmint) and passes after.
#include <gtest/gtest.h>

#include <cstring>

#include "nightly/fs_ops.hpp"
#include "nightly_support.hpp"
#include "store/checksum.hpp"
#include "store/store_format.hpp"

namespace segmint::test {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::vector<std::string> kMap = {"--map", "user=user_id,time=event_time,type=event_type,amount=price"};

std::string events_csv(const std::string& rows) {
  return "user_id,event_time,event_type,price\n" + rows +
         "u2,2020-01-01 00:00:00,purchase,5\nu3,2020-01-01 00:00:00,view,0\n";
}

CliResult features(const std::string& csv, const std::string& out) {
  std::vector<std::string> args = {"features", "--events", csv, "--out", out};
  args.insert(args.end(), kMap.begin(), kMap.end());
  return run_cli(args);
}

// Defect 3: two purchases at 1e13 gave monetary -446744068096 with exit 0.
TEST(Regressions, MoneyBeyondRangeIsABadRowNamingFileAndLine) {
  TempDir dir;
  const std::string csv = dir.file("e.csv");
  write_file(csv, events_csv("u1,2020-01-01 00:00:00,purchase,1e13\n"
                             "u1,2020-01-02 00:00:00,purchase,1e13\n"));
  CliResult r = features(csv, dir.file("f.csv"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, csv + ":2: amount '1e13' in column 'price' is out of range")) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("f.csv")));
}

TEST(Regressions, MoneySumsSaturateWithAWarningNeverWrap) {
  TempDir dir;
  const std::string csv = dir.file("e.csv");
  write_file(csv, events_csv("u1,2020-01-01 00:00:00,purchase,9e12\n"
                             "u1,2020-01-02 00:00:00,purchase,9e12\n"));
  CliResult r = features(csv, dir.file("f.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "1 user(s) have money sums beyond +-9.2e12")) << r.err;
  auto rows = read_csv(dir.file("f.csv"));
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0][3], "monetary");
  EXPECT_EQ(rows[1][0], "u1");
  EXPECT_GT(std::stod(rows[1][3]), 9.2e12);
}

// Defect 4: |values| >= ~1.3e19 gave inf distances, "inertia": null, an unreadable model.json.
TEST(Regressions, HugeValuesWithTransformNoneAreRejectedAtTheirLine) {
  TempDir dir;
  std::string text = "id,a,b\n";
  for (int i = 0; i < 30; ++i) {
    text += "u" + std::to_string(i) + "," + (i % 3 == 0 ? "3e19" : i % 3 == 1 ? "-3e19" : "0") +
            "," + (i % 2 ? "3e19" : "0") + "\n";
  }
  write_file(dir.file("m.csv"), text);
  CliResult r = run_cli({"cluster", "--matrix", dir.file("m.csv"), "--k", "2", "--transform",
                         "none", "--out", dir.file("out")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, dir.file("m.csv") + ":2: column 'a': 3e+19 is too large")) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("out/model.json")));
  // z-scored, the same table clusters fine and its model reads back.
  r = run_cli({"cluster", "--matrix", dir.file("m.csv"), "--k", "2", "--out", dir.file("z")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(has(read_file(dir.file("z/model.json")), "null"));
}

// Defect 5: "seed": 1e400 exited 3 "internal error"; "k": 1e20 was undefined behaviour.
TEST(Regressions, ModelFieldsOutOfRangeExitTwoNamingFileAndField) {
  TempDir dir;
  write_file(dir.file("m.csv"), "id,a,b\nu1,1,2\nu2,3,1\nu3,0,0\nu4,5,5\n");
  ASSERT_EQ(run_cli({"cluster", "--matrix", dir.file("m.csv"), "--k", "2", "--out",
                     dir.file("c")}).exit_code, 0);
  const std::string good = read_file(dir.file("c/model.json"));
  const std::pair<std::string, std::string> edits[] = {
      {"\"seed\": 0", "\"seed\": 1e400"}, {"\"k\": 2", "\"k\": 1e20"}, {"\"k\": 2", "\"k\": -2"},
      {"\"inertia\": ", "\"inertia\": null, \"x\": "}};
  for (const auto& [from, to] : edits) {
    std::string text = good;
    ASSERT_TRUE(has(text, from)) << from;
    text.replace(text.find(from), from.size(), to);
    write_file(dir.file("bad.json"), text);
    CliResult r = run_cli({"cluster", "--matrix", dir.file("m.csv"), "--init", dir.file("bad.json"),
                           "--out", dir.file("o")});
    EXPECT_EQ(r.exit_code, 2) << to << ": " << r.err;
    EXPECT_TRUE(has(r.err, dir.file("bad.json") + ": ")) << to << ": " << r.err;
    EXPECT_FALSE(has(r.err, "internal error")) << r.err;
  }
}

// Defect 6: a store whose checksums match but whose times are absurd was aggregated.
TEST(Regressions, StoreWithValidChecksumsButAbsurdTimesIsRejected) {
  TempDir dir;
  write_file(dir.file("e.csv"), events_csv("u1,2020-01-01 00:00:00,view,0\n"));
  std::vector<std::string> args = {"convert", "--events", dir.file("e.csv"), "--out", dir.file("s.sgev")};
  args.insert(args.end(), kMap.begin(), kMap.end());
  ASSERT_EQ(run_cli(args).exit_code, 0);
  std::string bytes = read_file(dir.file("s.sgev"));
  auto* head = reinterpret_cast<unsigned char*>(&bytes[store::kHeaderBytes]);
  const std::size_t rows = store::get32(head + 4);
  unsigned char* time = head + store::kChunkHeaderBytes + store::column_offset(rows, 1);
  store::put64(time, static_cast<std::uint64_t>(std::int64_t{-4629316569052006400}));
  store::put64(head + 16, store::checksum64(time, rows * 8));
  store::put64(head + 72, store::checksum64(head, 72));
  write_file(dir.file("s.sgev"), bytes);
  CliResult r = run_cli({"features", "--events", dir.file("s.sgev"), "--out", dir.file("f.csv")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "s.sgev: corrupt event store: event time out of range")) << r.err;
}

// A nightly state after one night, for the manifest edits below.
struct OneNight {
  TempDir dir;
  std::vector<std::string> days = write_days(DayData{}, dir.path().string());
  std::string state = dir.file("state");
  std::string manifest = state + "/state/manifest.json";
  OneNight() {
    CliResult r = night(state, days[0]);
    if (r.exit_code != 0) throw std::runtime_error("night 1 failed: " + r.err);
  }
  CliResult edited_night(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = read_json(manifest);
    edit(j);
    write_file(manifest, j.dump());
    return night(state, days[1]);
  }
};

// Defect 7: duplicate/negative ids exited 3; id 2147483647 overflowed in match.cpp.
TEST(Regressions, NightlyIdsFromTheStateAreValidated) {
  const std::function<void(nlohmann::json&)> edits[] = {
      [](nlohmann::json& j) { j["model"]["ids"][1] = j["model"]["ids"][0]; },
      [](nlohmann::json& j) { j["model"]["ids"][0] = -4; },
      [](nlohmann::json& j) {
        j["model"]["ids"][0] = 2147483647;
        j["model"]["next_id"] = 2147483647;
      },
  };
  for (const auto& edit : edits) {
    OneNight s;
    CliResult r = s.edited_night(edit);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(has(r.err, s.manifest + ": state manifest field 'model.")) << r.err;
  }
}

// Defect 7: "files": {} skipped checksum verification; "../../../../etc/hostname" was opened.
TEST(Regressions, NightlyManifestFilesAreNotTrustedBlindly) {
  {
    OneNight s;
    CliResult r = s.edited_night([](nlohmann::json& j) { j["files"] = nlohmann::json::object(); });
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(has(r.err, "lists no checksum for")) << r.err;
  }
  {
    OneNight s;
    CliResult r = s.edited_night(
        [](nlohmann::json& j) { j["files"]["../../../../etc/hostname"] = "1:0000000000000000"; });
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(has(r.err, "not a file name inside the state directory")) << r.err;
  }
}

// Defect 8: the 64 MiB record error had no line number; the matrix reader took hex floats.
TEST(Regressions, MatrixReaderRejectsHexFloats) {
  TempDir dir;
  write_file(dir.file("m.csv"), "id,a\nu1,0x10\nu2,1\n");
  CliResult r = run_cli({"cluster", "--matrix", dir.file("m.csv"), "--k", "1", "--out", dir.file("o")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, dir.file("m.csv") + ":2: column 'a': '0x10' is not a number")) << r.err;
}

}  // namespace
}  // namespace segmint::test
