// A command's life under mpirun/srun: MPI starts before the command and ends after it; a
// failure on any rank prints that rank's message and ends the whole job with its exit code.
#pragma once
#include <string>

namespace segmint::dist {

/// True when the environment says an MPI launcher started this process (OMPI_COMM_WORLD_SIZE,
/// PMI_SIZE, PMIX_RANK, PMI_RANK): the CLI then runs the command across the ranks.
bool launched_by_mpi();

/// Starts MPI when an MPI launcher started this process (no-op otherwise), after pinning one GPU
/// per rank (CUDA_VISIBLE_DEVICES from the node-local rank, docs/SCALING.md). Throws UsageError
/// when launched with several ranks by a build without MPI (each would redo the whole job).
void begin_job(int* argc, char*** argv);

/// Ends the job with `code`: on success MPI is finalized and `code` returned; on failure
/// (code != 0) in a multi-rank job, `message` is logged as "rank R of N: message" and every
/// rank is stopped with that code (MPI_Abort), so nothing else is written.
int end_job(int code, const std::string& message = {});

/// Tests: raises SIGKILL when SEGMINT_TEST_KILL_POINT names `name` and SEGMINT_TEST_KILL_RANK
/// is unset or this rank (a rank killed mid-job must leave outputs and state intact).
void kill_point(const char* name);

}  // namespace segmint::dist
