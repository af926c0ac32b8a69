// The compute backend interface (cpu, cuda) and the one factory that picks between them.
#pragma once
#include <memory>
#include <string>

#include "segmint/kmeans.hpp"
#include "segmint/matrix.hpp"

namespace segmint {

/// A compute backend. Every implementation gives the same results within the tolerances of
/// DESIGN.md contract 3, and is deterministic for a given input, seed and device.
class Backend {
 public:
  virtual ~Backend() = default;
  /// "cpu" or "cuda"; description() adds details (thread count, device name).
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;

  /// Full k-means fit of x (n x d), optional per-row weights (n entries, nullptr = all 1).
  virtual KMeansResult kmeans(MatrixView x, const float* weights, const KMeansParams& params) = 0;

  /// Assigns each row of x to its nearest of the k centroids (k x d, row-major).
  /// labels and distances (Euclidean) must have x.rows entries. Ties go to the lowest index.
  virtual void assign(MatrixView x, const float* centroids, int k, std::int32_t* labels,
                      float* distances) = 0;
};

/// Which backend to create. auto = cuda when a usable GPU is present, else cpu.
enum class DeviceChoice { automatic, cpu, gpu };

/// Parses "auto|cpu|gpu"; throws UsageError otherwise.
DeviceChoice parse_device_choice(const std::string& text);

/// Creates a backend. gpu without a usable device throws DeviceError; automatic falls back to
/// the CPU and sets *reason (when given) to why.
std::unique_ptr<Backend> make_backend(DeviceChoice choice, int cpu_threads = 0,
                                      std::string* reason = nullptr);

/// The CPU backend (OpenMP, vectorised): always available.
std::unique_ptr<Backend> make_cpu_backend(int threads = 0);

/// True when this build has the CUDA backend compiled in.
bool cuda_backend_compiled() noexcept;

}  // namespace segmint
