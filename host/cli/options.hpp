// Option groups shared by several subcommands; each group is defined in its own file.
#pragma once
#include <string>
#include <vector>

#include <cxxopts.hpp>

#include "segmint/aggregate.hpp"
#include "segmint/backend.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::cli {

// options_common.cpp: --help, --log-format, --quiet. parse_or_help() parses, applies
// --log-format and --quiet (logs and progress) and returns false (after printing help to
// stdout) when --help was given.
void add_common_options(cxxopts::Options& options);
bool parse_or_help(cxxopts::Options& options, int argc, char** argv, cxxopts::ParseResult& out);
/// Value of a required option or UsageError naming it.
std::string required_string(const cxxopts::ParseResult& r, const std::string& name);
/// cxxopts treats one-letter names as short options, so `--k 8` / `--k=8` would be rejected.
/// Every command that has --k calls this first: it rewrites "--k" to "-k" and "--k=V" to "-kV"
/// in place (add_kmeans_options registers the option as "k").
void rewrite_long_k(int argc, char** argv);

// options_ingest.cpp: --events FILE..., --schema, --map, --type-map, --batch-rows, --on-bad-row
void add_ingest_options(cxxopts::Options& options);
IngestOptions ingest_options_from(const cxxopts::ParseResult& r);
std::vector<std::string> event_paths_from(const cxxopts::ParseResult& r);  // required, >= 1

// options_features.cpp: --transform, --balance, --winsor-tail, --heavy-fence (the scaling group,
// in `group`; cluster registers it alone), then the feature options, which include it:
// --as-of, --session-gap, --tz-offset, --features, --weights.
void add_scaling_options(cxxopts::Options& options, const std::string& transform_default,
                         const std::string& group);
TransformOptions scaling_options_from(const cxxopts::ParseResult& r,
                                      const std::string& transform_default);
struct FeatureCliOptions {
  AggregateOptions aggregate;
  FeatureOptions features;
  TransformOptions transform;
};
/// transform_default: --transform's registered default. "" registers none, for a command whose
/// default depends on its input (sweep); feature_options_from then reads an absent --transform
/// as its own transform_default.
void add_feature_options(cxxopts::Options& options,
                         const std::string& transform_default = "log1p-zscore");
FeatureCliOptions feature_options_from(const cxxopts::ParseResult& r,
                                       const std::string& transform_default = "log1p-zscore");

// options_kmeans.cpp: --k, --init, --max-iter, --tol, --n-init, --seed, --threads, --device,
// --gpu-memory, --weight-by
struct KMeansCliOptions {
  KMeansParams params;
  DeviceChoice device = DeviceChoice::automatic;
  std::string init_file;   ///< --init FILE (centroids CSV or model.json); params.init = given
  std::string weight_by;   ///< --weight-by monetary|<feature name>; empty = unweighted
};
void add_kmeans_options(cxxopts::Options& options);
KMeansCliOptions kmeans_options_from(const cxxopts::ParseResult& r);
/// Everything but --k (for sweep, whose --k is a range "LO..HI").
KMeansCliOptions kmeans_options_without_k(const cxxopts::ParseResult& r);
/// --quality on|off (summary.json's quality section; off skips its two extra half-size fits),
/// registered in `group` by run, cluster and nightly.
void add_quality_option(cxxopts::Options& options, const std::string& group);
bool quality_from(const cxxopts::ParseResult& r);
/// "123", "512K", "64M", "2G", "1T" (powers of 1024) -> bytes; UsageError naming `option`.
std::size_t parse_byte_size(const std::string& text, const std::string& option);

}  // namespace segmint::cli
