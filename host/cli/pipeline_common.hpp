// The CLI's half of the run record: the k-means options (--init, --weight-by, --device) put into
// a record, and the backend factory (which lives outside segmint_core) called for it.
#pragma once
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "pipeline/run_record.hpp"

namespace segmint::cli {

/// make_backend for --device, the thread count and --gpu-memory (0 = the default), handed to
/// the record (which logs the choice and why auto fell back to the CPU).
void open_backend(pipeline::RunRecord& r, DeviceChoice device, int threads,
                  std::size_t gpu_memory = 0);
/// The same from the k-means options. Commands open the backend first: the feature stage, the
/// scale step and the fit run on it.
void open_backend(pipeline::RunRecord& r, const KMeansCliOptions& km);

/// read -> aggregate -> features: across the ranks when launched by mpirun/srun
/// (dist::read_features), else the run record's read_features. Then lead_or_follow().
bool read_events(pipeline::RunRecord& r, const std::vector<std::string>& paths,
                 const IngestOptions& ingest, const AggregateOptions& aggregate,
                 const FeatureOptions& features);
/// True on the rank that leads a command (rank 0, or the one process of a plain run). Other
/// ranks follow rank 0's steps (k-means fits) until it ends the job, then get false: their
/// part of the command is done.
bool lead_or_follow();

/// Everything k-means needs besides the matrix and the backend: params, --init FILE (k from the
/// file), --weight-by. Call after the scale step.
void prepare_fit(pipeline::RunRecord& r, const KMeansCliOptions& km);

}  // namespace segmint::cli
