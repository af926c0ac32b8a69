// The compute backend interface (cpu, cuda): every stage a device can run, and the one factory.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "segmint/aggregate.hpp"
#include "segmint/backend_options.hpp"
#include "segmint/dictionary.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"
#include "segmint/kmeans.hpp"
#include "segmint/matrix.hpp"

namespace segmint {

class KMeansEngine;  // host/backends/kmeans_driver.hpp: what a backend plugs into the driver

/// Options of the feature stage (events -> per-user aggregates -> raw features).
struct FeatureStageOptions {
  AggregateOptions aggregate;
  FeatureOptions features;
  /// When given, every user of this dictionary (counted once the events are read: sources
  /// intern into it while reading) gets a row, also one whose rows were all skipped.
  const UserDictionary* users = nullptr;
};

/// What the feature stage gives back: the raw features and the time of each step.
struct FeatureStageResult {
  FeatureMatrix raw;         ///< n x D original units, one row per dense user index (a device
                             ///< backend attaches its device copy: raw.device)
  std::int64_t as_of = 0;    ///< the as_of the features were computed at (unix seconds)
  double read_ms = 0;        ///< pulling batches from the EventSource (parse or store reads)
  double aggregate_ms = 0;   ///< folding events into per-user aggregates (and into a base table)
  double features_ms = 0;    ///< aggregates -> feature rows
};

/// Where a device backend's time went and what crossed the bus (summary.json "device_stages";
/// empty for the CPU backend). Stages overlap (parsing runs while earlier batches upload and
/// aggregate), so their times add up to more than the wall time.
struct DeviceStageReport {
  /// Milliseconds per stage, in order: parse, upload, aggregate, features, kmeans, download.
  std::vector<std::pair<std::string, double>> ms;
  std::uint64_t bytes_to_device = 0, bytes_from_device = 0;
  std::uint64_t events = 0;   ///< events the device feature stage aggregated
  std::uint32_t passes = 0;   ///< passes of the last feature stage (1 when everything fit)
  bool spilled = false;       ///< the events did not fit the device: multi-pass from host memory
  bool empty() const { return ms.empty(); }
  /// Adds `value` to stage `stage` (appended in first-seen order).
  void add_ms(const std::string& stage, double value);
};

/// A compute backend. Every implementation gives the same results within the tolerances of
/// DESIGN.md contract 3, and is deterministic for a given input, seed and device. Input checks
/// and the k-means restart driver are written once here; backends provide the steps.
class Backend {
 public:
  virtual ~Backend() = default;
  /// "cpu" or "cuda"; description() adds details (thread count, device name).
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;

  /// Feature stage: reads `events` to the end, folds them into per-user aggregates and computes
  /// the raw feature matrix. With `base`, the events are merged into *base (same dictionary),
  /// which is handed back updated, and the features are those of the merged table (nightly).
  virtual FeatureStageResult features(EventSource& events, const FeatureStageOptions& options,
                                      UserTable* base) = 0;

  /// Scaling: fits a Scaler on raw (n x D) into *scaler and returns the matrix k-means sees.
  /// The default is fit_scaler + Scaler::transform on the host; the CUDA backend fits and
  /// transforms on the device and attaches its device copy to the result.
  virtual FeatureMatrix scale(const FeatureMatrix& raw, const TransformOptions& transform,
                              Scaler* scaler);
  /// Applies a fitted scaler (assign, incremental nights): Scaler::transform, on the device for
  /// the CUDA backend (within float rounding of the host: log1p is the device's).
  virtual FeatureMatrix apply_scaler(const FeatureMatrix& raw, const Scaler& scaler);

  /// Stage times and bytes moved of the device path so far (empty for the CPU backend).
  virtual DeviceStageReport device_report() const { return {}; }

  /// Full k-means fit of x (n x d), optional per-row weights (n entries, nullptr = all 1):
  /// check_kmeans_input, then n_init restarts (init + Lloyd) on this backend's engine, keeping
  /// the lowest inertia (first on ties). Throws UsageError/InputError for bad input. A device
  /// backend takes x.device, when it is its own copy, instead of uploading x.
  KMeansResult kmeans(MatrixView x, const float* weights, const KMeansParams& params);

  /// Assigns each row of x to its nearest of the k centroids (k x d, row-major). labels and
  /// distances (Euclidean) must have x.rows entries. Ties go to the lowest index.
  void assign(MatrixView x, const float* centroids, int k, std::int32_t* labels,
              float* distances);

 protected:
  /// host_threads: OpenMP threads of the host-side steps (checks, host parts of a fit); 0 = all.
  explicit Backend(int host_threads) : host_threads_(host_threads) {}
  /// A fresh k-means engine for one fit (see host/backends/kmeans_driver.hpp).
  virtual std::unique_ptr<KMeansEngine> kmeans_engine() = 0;
  /// assign() after its checks; x has at least one row and only finite values.
  virtual void assign_rows(MatrixView x, const float* centroids, int k, std::int32_t* labels,
                           float* distances) = 0;
  int host_threads() const { return host_threads_; }

 private:
  int host_threads_;
};

/// Creates a backend. device gpu without a usable GPU throws DeviceError; automatic falls back
/// to the CPU and sets *fallback_reason (when given) to why; otherwise it is cleared.
std::unique_ptr<Backend> make_backend(const BackendOptions& options,
                                      std::string* fallback_reason = nullptr);

/// True when this build has the CUDA backend compiled in.
bool cuda_backend_compiled() noexcept;

}  // namespace segmint
