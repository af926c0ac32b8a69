// segmint --version (version, commit, CUDA on/off, device or why not) and `segmint help CMD`
// (the command's options, then worked examples).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace segmint::test {
namespace {

TEST(VersionHelp, VersionSaysCommitCudaAndDevice) {
  auto r = run_cli({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("segmint 0.", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\ncommit: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nCUDA backend: o"), std::string::npos) << r.out;  // on / off
  EXPECT_NE(r.out.find("\ndevice: "), std::string::npos) << r.out;
  // Without a usable GPU the device line says why the CPU is used.
  if (r.out.find("device: cpu") != std::string::npos) {
    EXPECT_NE(r.out.find("no GPU: "), std::string::npos) << r.out;
  }
}

TEST(VersionHelp, HelpShowsOptionsAndExamplesForEveryCommand) {
  for (const char* cmd : {"run", "cluster", "assign", "features", "sweep", "nightly", "report",
                          "generate", "convert", "info"}) {
    auto r = run_cli({"help", cmd});
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
    EXPECT_NE(r.out.find("--help"), std::string::npos) << cmd;
    EXPECT_NE(r.out.find("Examples:\n"), std::string::npos) << cmd;
    EXPECT_NE(r.out.find(std::string("$ segmint ") + cmd + " "), std::string::npos) << cmd;
  }
  EXPECT_EQ(run_cli({"help", "nonsense"}).exit_code, 2);
  EXPECT_EQ(run_cli({"help"}).exit_code, 0);
}

}  // namespace
}  // namespace segmint::test
