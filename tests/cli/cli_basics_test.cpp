// The CLI's top level: usage, unknown commands and exit codes.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace segmint::test {

TEST(Cli, NoArgumentsIsUsageError) {
  auto r = run_cli({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage: segmint"), std::string::npos);
}

TEST(Cli, HelpListsCommands) {
  auto r = run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"run", "cluster", "assign", "features", "sweep", "generate", "convert",
                        "info"}) {
    EXPECT_NE(r.out.find(c), std::string::npos) << c;
  }
}

TEST(Cli, UnknownCommandIsUsageError) {
  auto r = run_cli({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
}

}  // namespace segmint::test
