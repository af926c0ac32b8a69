// Runs everywhere, GPU or not: no copy, memset or kernel launch in kernels/ or bench/ may use the
// legacy default stream. Our streams are non-blocking, so such a call is not ordered with the
// kernels that produce or consume its data (issue 12: k-means++ read stale distances through a
// plain cudaMemcpy). Copies go through kernels/core/transfer.hpp on a named stream; launches pass
// their stream as the fourth launch parameter.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace segmint::test {
namespace {

namespace fs = std::filesystem;

/// The file without // comments (string literals in these sources hold no "//").
std::string code_of(const fs::path& p) {
  std::ifstream in(p);
  std::string line, out;
  while (std::getline(in, line)) {
    const auto c = line.find("//");
    out += (c == std::string::npos ? line : line.substr(0, c)) + "\n";
  }
  return out;
}

std::vector<fs::path> cuda_sources() {
  std::vector<fs::path> files;
  for (const char* dir : {"kernels", "bench"}) {
    const fs::path root = fs::path(SEGMINT_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      const std::string ext = e.path().extension().string();
      if (ext == ".cu" || ext == ".cuh" || ext == ".cpp" || ext == ".hpp")
        files.push_back(e.path());
    }
  }
  return files;
}

/// Top-level commas in a launch configuration "grid, block, smem, stream".
int config_args(const std::string& config) {
  int depth = 0, commas = 0;
  for (char ch : config) {
    if (ch == '(' || ch == '<' || ch == '{') ++depth;
    if (ch == ')' || ch == '>' || ch == '}') --depth;
    if (ch == ',' && depth == 0) ++commas;
  }
  return commas + 1;
}

TEST(CudaSources, NoCopyOrMemsetOnTheLegacyStream) {
  const std::regex sync_call(
      R"(\b(cudaMemcpy|cudaMemset|cudaMemcpy2D|cudaMemcpyToSymbol|cudaMemcpyFromSymbol|cudaMemcpyPeer)\s*\()");
  const std::regex legacy(R"(\b(cudaStreamLegacy|cudaStreamPerThread)\b)");
  const auto files = cuda_sources();
  ASSERT_FALSE(files.empty()) << "no sources under " << SEGMINT_SOURCE_DIR;
  for (const auto& f : files) {
    const std::string code = code_of(f);
    std::smatch m;
    EXPECT_FALSE(std::regex_search(code, m, sync_call))
        << f << ": " << m.str() << " runs on the legacy stream; use kernels/core/transfer.hpp";
    EXPECT_FALSE(std::regex_search(code, m, legacy)) << f << ": " << m.str();
  }
}

TEST(CudaSources, EveryLaunchNamesItsStream) {
  const std::regex launch(R"(<<<([^;]*?)>>>)");
  int launches = 0;
  for (const auto& f : cuda_sources()) {
    const std::string code = code_of(f);
    for (std::sregex_iterator it(code.begin(), code.end(), launch), end; it != end; ++it) {
      ++launches;
      EXPECT_EQ(config_args((*it)[1].str()), 4)
          << f << ": launch <<<" << (*it)[1].str() << ">>> without an explicit stream";
    }
  }
  EXPECT_GT(launches, 10);  // the scan found the kernels
}

}  // namespace
}  // namespace segmint::test
