// The compute backend interface (cpu, cuda): every stage a device can run, and the one factory.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

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
  FeatureMatrix raw;         ///< n x D original units, one row per dense user index
  std::int64_t as_of = 0;    ///< the as_of the features were computed at (unix seconds)
  double read_ms = 0;        ///< pulling batches from the EventSource (parse or store reads)
  double aggregate_ms = 0;   ///< folding events into per-user aggregates (and into a base table)
  double features_ms = 0;    ///< aggregates -> feature rows
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
  /// The default (fit_scaler + Scaler::transform on the host) serves both backends today.
  virtual FeatureMatrix scale(const FeatureMatrix& raw, const TransformOptions& transform,
                              Scaler* scaler);

  /// Full k-means fit of x (n x d), optional per-row weights (n entries, nullptr = all 1):
  /// check_kmeans_input, then n_init restarts (init + Lloyd) on this backend's engine, keeping
  /// the lowest inertia (first on ties). Throws UsageError/InputError for bad input.
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
