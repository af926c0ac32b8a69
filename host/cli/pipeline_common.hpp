// The CLI's half of the run record: the k-means options (--init, --weight-by, --device) put into
// a record, and the backend factory (which lives outside segmint_core) called for it.
#pragma once
#include "cli/options.hpp"
#include "pipeline/run_record.hpp"

namespace segmint::cli {

/// make_backend for --device and the thread count, handed to the record (which logs the choice
/// and why auto fell back to the CPU).
void open_backend(pipeline::RunRecord& r, DeviceChoice device, int threads);

/// Everything k-means needs besides the matrix: params, --init FILE (k from the file),
/// --weight-by, then the backend. Call after the scale step.
void prepare_fit(pipeline::RunRecord& r, const KMeansCliOptions& km);

}  // namespace segmint::cli
