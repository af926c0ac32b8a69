// segmint nightly end to end: lock, usage errors (the data-driven tests are in
// nightly_flow_test.cpp).
#include <gtest/gtest.h>

#include "nightly/lock.hpp"
#include "test_support.hpp"

namespace segmint::test {

TEST(NightlyCli, MissingStateIsUsageError) {
  auto r = run_cli({"nightly"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--state"), std::string::npos) << r.err;
}

TEST(NightlyCli, BadKeepIsUsageError) {
  TempDir dir;
  auto r = run_cli({"nightly", "--state", dir.file("s"), "--events", "x.csv", "--keep", "-1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--keep"), std::string::npos) << r.err;
}

}  // namespace segmint::test
