// segmint features: bad feature options are usage errors (exit 2) naming the option, and no
// output file appears.
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>

#include "test_support.hpp"

namespace segmint::test {
namespace {

struct BadOption {
  std::vector<std::string> args;
  std::string mentions;
};

// Readable parameter values and test names in ctest (else "56-byte object <...>").
void PrintTo(const BadOption& o, std::ostream* os) {
  for (std::size_t i = 0; i < o.args.size(); ++i) *os << (i ? " " : "") << o.args[i];
}

std::string test_name(const ::testing::TestParamInfo<BadOption>& info) {
  std::string name;
  for (const auto& a : info.param.args) {
    for (char c : a) {
      const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
      if (alnum) name += c;
      else if (!name.empty() && name.back() != '_') name += '_';
    }
    if (!name.empty() && name.back() != '_') name += '_';
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

class FeaturesBadOption : public ::testing::TestWithParam<BadOption> {};

TEST_P(FeaturesBadOption, ExitsTwoAndWritesNothing) {
  TempDir dir;
  std::vector<std::string> args = {"features", "--out", dir.file("f.csv")};
  for (const auto& a : GetParam().args) args.push_back(a);
  CliResult r = run_cli(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(GetParam().mentions), std::string::npos) << r.err;
  EXPECT_TRUE(list_dir(dir.path().string()).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Options, FeaturesBadOption,
    ::testing::Values(BadOption{{"--as-of", "yesterday"}, "--as-of"},
                      BadOption{{"--as-of", "2024-13-01"}, "--as-of"},
                      BadOption{{"--as-of", "2024-01-01 25:00:00"}, "--as-of"},
                      BadOption{{"--tz-offset", "+15:00"}, "--tz-offset"},
                      BadOption{{"--tz-offset", "2h"}, "--tz-offset"},
                      BadOption{{"--session-gap", "0"}, "--session-gap"},
                      BadOption{{"--session-gap", "ten"}, "--session-gap"},
                      BadOption{{"--transform", "log"}, "--transform"},
                      BadOption{{"--weights", "monetary"}, "--weights"},
                      BadOption{{"--weights", "monetary=-1"}, "--weights"}),
    test_name);

}  // namespace
}  // namespace segmint::test
