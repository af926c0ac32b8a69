// --device on the command line: gpu without a usable GPU stops with exit 3 and the reason;
// auto falls back to the CPU, says why, and reports the device it used; with a GPU, gpu and
// cpu agree on the planted answer.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "test_support.hpp"

namespace segmint::test {
namespace {

// Three tight, far-apart 2-d blobs: every device must recommend k = 3.
std::string blobs(const TempDir& dir) {
  std::mt19937 gen(11);
  std::normal_distribution<double> g(0, 0.5);
  const double cx[3] = {0, 30, 0}, cy[3] = {0, 0, 30};
  std::string text = "user_id,x,y\n";
  char buf[96];
  for (int i = 0; i < 240; ++i) {
    std::snprintf(buf, sizeof buf, "u%d,%.6f,%.6f\n", i, cx[i % 3] + g(gen), cy[i % 3] + g(gen));
    text += buf;
  }
  write_file(dir.file("m.csv"), text);
  return dir.file("m.csv");
}

std::vector<std::string> sweep(const std::string& m, const std::string& device) {
  return {"sweep",       "--matrix", m,          "--k",  "2..4",
          "--transform", "none",     "--device", device, "--json"};
}

TEST(DeviceChoice, GpuEitherRunsOrStopsWithExit3AndTheReason) {
  TempDir dir;
  const std::string m = blobs(dir);
  auto gpu = run_cli(sweep(m, "gpu"));
  if (gpu.exit_code == 0) {  // a usable GPU: it must give the CPU's planted answer
    auto cpu = run_cli(sweep(m, "cpu"));
    ASSERT_EQ(cpu.exit_code, 0) << cpu.err;
    auto jg = nlohmann::json::parse(gpu.out), jc = nlohmann::json::parse(cpu.out);
    EXPECT_EQ(jg["device"], "cuda");
    EXPECT_EQ(jg["recommended_k"], 3);
    EXPECT_EQ(jg["recommended_k"], jc["recommended_k"]);
    return;
  }
  EXPECT_EQ(gpu.exit_code, 3) << gpu.err;
  EXPECT_NE(gpu.err.find("--device gpu"), std::string::npos) << gpu.err;
  EXPECT_TRUE(gpu.err.find("no CUDA device") != std::string::npos ||
              gpu.err.find("no CUDA backend") != std::string::npos)
      << gpu.err;
  EXPECT_TRUE(gpu.out.empty()) << gpu.out;
}

// A CPU run never loads cuBLAS (kernels/core/cublas_lazy.cpp loads it on first GPU use): the
// dynamic loader's own log (LD_DEBUG=files) lists every library it opens, dlopen included.
TEST(DeviceChoice, CpuRunNeverLoadsCublas) {
  TempDir dir;
  auto r = run_cli(sweep(blobs(dir), "cpu"), "LD_DEBUG=files");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("libc.so"), std::string::npos) << "no loader log:\n" << r.err;
  EXPECT_EQ(r.err.find("libcublas"), std::string::npos) << r.err;
}

TEST(DeviceChoice, AutoAlwaysRunsAndNamesTheDeviceItUsed) {
  TempDir dir;
  auto r = run_cli(sweep(blobs(dir), "auto"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["recommended_k"], 3);
  if (j["device"] == "cpu") {  // fell back: the log says why
    EXPECT_NE(r.err.find("auto fell back to the CPU"), std::string::npos) << r.err;
  } else {
    EXPECT_EQ(j["device"], "cuda");
  }
}

}  // namespace
}  // namespace segmint::test
