// GPU k-means benchmark: ms per Lloyd iteration on the fused and gemm paths for n x d x k (the
// faster one decides the crossover), achieved bandwidth, the ratio to the bytes floor (n (4d + 8)
// bytes over a device-to-device copy bandwidth measured in the same run), and the ratio to the
// CPU backend on all cores, all in one run. Prints a Markdown table.
// Usage: gpu_kmeans_bench [--n 1000000,10000000,50000000] [--d 16,32] [--k 8,16,64,256]
//                         [--iters 5] [--cpu-max-n 10000000] [--no-cpu]
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "backends/cuda_entry.hpp"
#include "kmeans/data_source.hpp"
#include "core/transfer.hpp"
#include "kmeans/device_fit.hpp"
#include "segmint/backend.hpp"
#include "segmint/error.hpp"

namespace {

using namespace segmint;

std::vector<long long> parse_list(const char* s) {
  std::vector<long long> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) v.push_back(std::stoll(item));
  return v;
}

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Random blobs (64 centres, uniform noise), filled in parallel: never zeros, never constant.
std::vector<float> make_data(std::size_t n, int d) {
  std::vector<float> x(n * d);
#pragma omp parallel for schedule(static)
  for (long long i = 0; i < static_cast<long long>(n); ++i) {
    const std::uint64_t g = mix(i * 0x9e3779b97f4a7c15ull) % 64;
    for (int j = 0; j < d; ++j) {
      const double centre = static_cast<double>(mix(g * 131 + j) >> 40) / (1 << 24) * 20 - 10;
      const double noise = static_cast<double>(mix((i * d + j) ^ 0x5bd1e995) >> 11) * 0x1.0p-53 - 0.5;
      x[i * d + j] = static_cast<float>(centre + 2 * noise);
    }
  }
  return x;
}

/// Device-to-device copy bandwidth (bytes read + written per second) on a 2 GiB buffer.
double copy_bandwidth(cuda::Resources& res) {
  const std::size_t bytes = std::size_t{1} << 31;
  cuda::DeviceBuffer<char> a(bytes), b(bytes);
  SEGMINT_CUDA_CHECK(cudaMemsetAsync(a.get(), 1, bytes, res.compute()));
  cuda::Event t0(true), t1(true);
  cuda::copy_device_async(b.get(), a.get(), bytes, res.compute());
  t0.record(res.compute());
  for (int i = 0; i < 10; ++i) cuda::copy_device_async(b.get(), a.get(), bytes, res.compute());
  t1.record(res.compute());
  return 10.0 * 2.0 * bytes / (cuda::elapsed_ms(t0, t1) * 1e-3);
}

/// ms per Lloyd iteration (assignment + reduction + update + status copy), CUDA events.
double gpu_iteration_ms(cuda::Resources& res, cuda::DataSource& data, int k, AssignPath path,
                        const std::vector<float>& init, int iters) {
  cuda::DeviceFit fit(res, data, k, path);
  cuda::DeviceBuffer<float> c[2] = {cuda::DeviceBuffer<float>(init.size()),
                                    cuda::DeviceBuffer<float>(init.size())};
  // On the compute stream the fit runs on (a plain cudaMemcpy would not be ordered with it).
  cuda::upload(c[0].get(), init.data(), init.size(), res.compute());
  fit.step(c[0].get(), c[1].get());  // warm-up (first launch, attribute set)
  cuda::Event t0(true), t1(true);
  t0.record(res.compute());
  for (int i = 0; i < iters; ++i) fit.step(c[i & 1].get(), c[(i & 1) ^ 1].get());
  t1.record(res.compute());
  return cuda::elapsed_ms(t0, t1) / iters;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<long long> ns = {1000000, 10000000, 50000000}, ds = {16, 32}, ks = {8, 16, 64, 256};
  int iters = 5;
  long long cpu_max_n = 10000000;
  bool cpu = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (a == "--n") ns = parse_list(v), ++i;
    else if (a == "--d") ds = parse_list(v), ++i;
    else if (a == "--k") ks = parse_list(v), ++i;
    else if (a == "--iters") iters = std::stoi(v), ++i;
    else if (a == "--cpu-max-n") cpu_max_n = std::stoll(v), ++i;
    else if (a == "--no-cpu") cpu = false;
    else { std::fprintf(stderr, "unknown argument %s\n", a.c_str()); return 2; }
  }
  try {
    std::string why;
    if (!cuda_device_usable(&why)) {
      std::printf("gpu_kmeans_bench: skipped: %s\n", why.c_str());
      return 0;
    }
    cuda::Resources res;
    const double bw = copy_bandwidth(res);
    std::printf("device: %s, %d SMs; measured D2D copy %.0f GB/s (read + write); CPU threads %d\n\n",
                res.name().c_str(), res.sm_count(), bw / 1e9, omp_get_max_threads());
    std::printf("| n | d | k | fused ms/iter | gemm ms/iter | floor ms | best GB/s | vs copy | CPU ms/iter | GPU/CPU |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    std::unique_ptr<Backend> cpu_backend;
    if (cpu) {
      BackendOptions on_cpu;
      on_cpu.device = DeviceChoice::cpu;
      try { cpu_backend = make_backend(on_cpu); } catch (const Error&) { cpu = false; }
    }
    std::string crossover;  // per (n, d): which path was faster at each k
    for (long long n : ns)
      for (long long d : ds) {
        std::vector<float> x = make_data(n, static_cast<int>(d));
        const MatrixView view{x.data(), static_cast<std::size_t>(n), static_cast<std::size_t>(d)};
        crossover += "\n- n = " + std::to_string(n) + ", d = " + std::to_string(d) + ":";
        for (long long k : ks) {
          std::vector<float> init(x.begin(), x.begin() + k * d);  // first k rows
          // The least a Lloyd iteration moves: x once, each label read (change count) and
          // written. Partials, centroids and the status are extra (under 2% at k <= 256).
          const double floor_bytes = static_cast<double>(n) * (4.0 * d + 8.0);
          const double floor_ms = floor_bytes / bw * 1e3;
          double fused = -1, gemm = -1;
          cuda_plan::MemoryPlan plan =
              cuda_plan::plan_memory(n, d, k, AssignPath::gemm, std::size_t{100} << 30);
          cuda::DataSource data(res, view, nullptr, plan);
          if (d <= cuda_plan::kFusedMaxDim && cuda::fused_smem_bytes(k, d, true) <= res.smem_optin())
            fused = gpu_iteration_ms(res, data, k, AssignPath::fused, init, iters);
          gemm = gpu_iteration_ms(res, data, k, AssignPath::gemm, init, iters);
          const double best = fused > 0 && fused < gemm ? fused : gemm;
          crossover += " k " + std::to_string(k) + (fused > 0 && fused < gemm ? " fused" : " gemm") + ";";
          double cpu_ms = -1;
          if (cpu && n <= cpu_max_n) {
            KMeansParams p;
            p.k = static_cast<int>(k);
            p.init = InitMethod::given;
            p.initial_centroids = init;
            p.max_iter = 1;
            p.tol = 0;
            auto t0 = std::chrono::steady_clock::now();
            KMeansResult r = cpu_backend->kmeans(view, nullptr, p);
            auto t1 = std::chrono::steady_clock::now();
            // One iteration plus the final relabelling pass: two assignment passes.
            cpu_ms = std::chrono::duration<double, std::milli>(t1 - t0).count() / 2;
          }
          char cpu_col[64] = "n/a", ratio[64] = "n/a";
          if (cpu_ms > 0) {
            std::snprintf(cpu_col, sizeof cpu_col, "%.1f", cpu_ms);
            std::snprintf(ratio, sizeof ratio, "%.1fx", cpu_ms / best);
          }
          char fused_col[32] = "-";
          if (fused > 0) std::snprintf(fused_col, sizeof fused_col, "%.3f", fused);
          std::printf("| %lld | %lld | %lld | %s | %.3f | %.3f | %.0f | %.2fx floor | %s | %s |\n", n,
                      d, k, fused_col, gemm, floor_ms, floor_bytes / (best * 1e-3) / 1e9,
                      best / floor_ms, cpu_col, ratio);
          std::fflush(stdout);
        }
      }
    // The automatic path takes fused for k <= CudaOptions::fused_max_k (d <= fused_max_d).
    std::printf("\nFaster path (sets CudaOptions::fused_max_k, today %d):%s\n",
                CudaOptions{}.fused_max_k, crossover.c_str());
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "gpu_kmeans_bench: %s\n", e.what());
    return exit_code(e.kind());
  }
}
