// The input checks of the backend seam, written once: every backend reports bad input with the
// same error kind and wording, so --device never changes what a bad run says.
#pragma once
#include <cstdint>

#include "segmint/kmeans.hpp"
#include "segmint/matrix.hpp"

namespace segmint {

/// Validates a fit's input; the k-means driver calls it once, before any engine work: k, the
/// matrix shape (k at most the number of rows), parameters, finite values, given centroids
/// (size and finite values), weights. Throws UsageError or InputError (both exit code 2).
/// params.threads: OpenMP threads of the scans (0 = all). check_matrix false skips the matrix's
/// values (an engine that tests them in its first pass: KMeansEngine::tests_matrix_in_lloyd).
void check_kmeans_input(MatrixView x, const float* weights, const KMeansParams& params,
                        bool check_matrix = true);

/// Validates assign()'s input: k >= 1 (UsageError) and finite x (InputError).
void check_assign_input(MatrixView x, int k, int threads);

/// Throws InputError naming the first non-finite value of x ("<what> has a non-finite value at
/// row R, column C", 1-based). threads: OpenMP threads for the scan (0 = all).
void check_finite_matrix(MatrixView x, const char* what, int threads = 0);

/// The largest |value| check_finite_matrix accepts in a matrix of d columns, as a float.
float matrix_value_limit(std::size_t d);

}  // namespace segmint
