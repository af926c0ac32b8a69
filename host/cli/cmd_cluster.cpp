// segmint cluster: segments a user-supplied feature table with the same k-means, profiles and
// outputs as `run` (for users who bring their own features, and for k-means tests/benchmarks).
#include <cxxopts.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "common/log.hpp"
#include "dist/traffic.hpp"
#include "pipeline/run_record.hpp"
#include "pipeline/segment.hpp"

namespace segmint::cli {

int cmd_cluster(int argc, char** argv) {
  rewrite_long_k(argc, argv);
  cxxopts::Options options("segmint cluster",
                           "Segments a feature table (CSV: first column the user id, the other "
                           "columns numeric features) and writes the same outputs as run.");
  add_common_options(options);
  add_kmeans_options(options);
  options.add_options("cluster")("matrix", "feature table CSV", cxxopts::value<std::string>())(
      "out", "output directory (created when missing)", cxxopts::value<std::string>());
  // With --init and --transform none, values are used as they are.
  add_scaling_options(options, "zscore", "cluster");
  add_quality_option(options, "cluster");
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const std::string matrix_path = required_string(r, "matrix");
  const std::string out = required_string(r, "out");
  const TransformOptions transform = scaling_options_from(r, "zscore");
  KMeansCliOptions km = kmeans_options_from(r);

  pipeline::RunRecord rec;
  rec.command = "cluster";
  rec.assess = quality_from(r);
  if (!lead_or_follow()) return 0;  // under mpirun, rank 0 reads the table; k-means spans the ranks
  open_backend(rec, km);
  pipeline::read_matrix(rec, matrix_path);
  pipeline::scale(rec, transform);
  prepare_fit(rec, km);
  pipeline::segment(rec);
  dist::record_traffic(rec);  // under mpirun: summary.json's "mpi" block
  pipeline::describe(rec);
  pipeline::write_run(rec, out);
  log_block(pipeline::segment_table(rec.seg.profiles, rec.seg.names));
  return 0;
}

}  // namespace segmint::cli
