// Output stability: every output-writing command, on generated data and on the shared data sets,
// gives the bytes the reference commit gave (tests/golden/expected.sha256; see tests/golden/README.md).
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "test_support.hpp"

namespace segmint::test {
namespace {

std::map<std::string, std::string> parse_digests(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string name, digest;
  while (in >> name >> digest) out[name] = digest;
  return out;
}

bool from_shared_data(const std::string& name) {
  for (const char* tag : {"retail", "rees", "taobao"})
    if (name.find(tag) != std::string::npos) return true;
  return false;
}

// Runs the golden script with the CPU k-means kernel capped at `kernel` (SEGMINT_CPU_KERNEL;
// empty: the best this CPU has) and compares every digest with the reference.
void expect_golden_outputs(const std::string& kernel) {
  TempDir tmp;
  const std::string src = SEGMINT_SOURCE_DIR;
  const std::string digests = tmp.file("digests.txt");
  const auto retail = shared_dataset("online_retail_II_2009-2010.csv.gz");
  const std::string datasets =
      retail ? fs::path(*retail).parent_path().string() : std::string(SEGMINT_SHARED_DATASETS);
  std::string cmd = (kernel.empty() ? "" : "SEGMINT_CPU_KERNEL=" + kernel + " ") + "bash " +
                    shell_quote(src + "/tests/golden/golden_outputs.sh") + " " +
                    shell_quote(SEGMINT_EXE) + " " + shell_quote(tmp.file("work")) + " " +
                    shell_quote(datasets) + " > " + shell_quote(digests) + " 2> " +
                    shell_quote(tmp.file("err.txt"));
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(tmp.file("err.txt"))
                                         << read_file(tmp.file("work/log.txt"));
  const auto expected = parse_digests(read_file(src + "/tests/golden/expected.sha256"));
  const auto got = parse_digests(read_file(digests));
  ASSERT_FALSE(expected.empty());
  for (const auto& [name, digest] : got) {
    auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << "output not in the reference: " << name;
    EXPECT_EQ(digest, it->second) << name << " differs from the reference (kept under "
                                  << tmp.file("work") << " only while the test runs)";
  }
  for (const auto& [name, digest] : expected) {
    if (from_shared_data(name) && !retail) continue;
    EXPECT_TRUE(got.count(name)) << "reference output not produced: " << name;
  }
}

}  // namespace

TEST(GoldenOutputs, EveryOutputByteIdenticalToTheReference) { expect_golden_outputs(""); }

// Every CPU k-means kernel must give the same bytes (the caps only lower the choice, so on a CPU
// without AVX-512 the AVX2 run repeats the default one, and the baseline run still differs).
TEST(GoldenOutputs, TheSameBytesWithTheAvx2Kernel) { expect_golden_outputs("avx2"); }
// Without the bf16 screen (on an AVX512-BF16 CPU the default run may take it at k 64).
TEST(GoldenOutputs, TheSameBytesWithTheAvx512FloatKernel) { expect_golden_outputs("avx512"); }
TEST(GoldenOutputs, TheSameBytesWithTheBaselineKernel) { expect_golden_outputs("baseline"); }

}  // namespace segmint::test
