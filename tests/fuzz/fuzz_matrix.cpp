// Fuzz target: feature-matrix and centroid CSV readers (cluster --matrix, --init FILE). A table
// that reads has finite values, one id and line per row; the range check for transform none and
// the centroid readers accept or reject it with InputError.
#include <cmath>

#include "fuzz_support.hpp"
#include "ingest/matrix_csv.hpp"
#include "pipeline/init_file.hpp"

using namespace segmint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::MemFile file(data, size);
  fuzz::expect_only_segmint_errors([&] {
    MatrixCsv t = read_matrix_csv(file.path());
    SEGMINT_FUZZ_CHECK(t.ids.size() == t.matrix.rows && t.lines.size() == t.matrix.rows);
    SEGMINT_FUZZ_CHECK(t.matrix.values.size() == t.matrix.rows * t.matrix.cols);
    for (float v : t.matrix.values) SEGMINT_FUZZ_CHECK(std::isfinite(v));
    check_matrix_range(t.matrix, t.lines, file.path());
  });
  fuzz::expect_only_segmint_errors([&] {
    read_centroids_csv(file.path(), {"a", "b"}, 2);
  });
  fuzz::expect_only_segmint_errors([&] {
    Scaler s;
    s.names = {"a", "b"};
    s.source_columns = {0, 1};
    s.log1p = {0, 1};
    s.mean = {0, 1};
    s.stddev = {1, 2};
    s.weight = {1, 1};
    int k = 0;
    const bool as_is = size > 0 && (data[0] & 1);
    auto c = pipeline::load_initial_centroids(file.path(), s, {"a", "b", "c"}, as_is, &k);
    SEGMINT_FUZZ_CHECK(c.size() == static_cast<std::size_t>(k) * 2);
  });
  return 0;
}
