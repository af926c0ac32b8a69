// CSV readers for feature matrices and centroid files: accepted forms and FILE:LINE errors.
#include "ingest/matrix_csv.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::test {

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no InputError";
}
}  // namespace

TEST(MatrixCsv, ReadsIdsNamesAndValues) {
  TempDir dir;
  write_file(dir.file("m.csv"), "\xEF\xBB\xBFuser_id,a,b\r\nu1,1.5,-2\r\n\r\n\"u,2\",3e2, 4 \r\n");
  auto m = read_matrix_csv(dir.file("m.csv"));
  EXPECT_EQ(m.ids, (std::vector<std::string>{"u1", "u,2"}));
  EXPECT_EQ(m.matrix.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(m.matrix.rows, 2u);
  EXPECT_EQ(m.matrix.values, (std::vector<float>{1.5f, -2.f, 300.f, 4.f}));
}

TEST(MatrixCsv, ErrorsNameFileAndLine) {
  TempDir dir;
  const std::string f = dir.file("m.csv");
  auto expect = [&](const std::string& text, const std::string& message) {
    write_file(f, text);
    EXPECT_EQ(error_of([&] { read_matrix_csv(f); }), f + message) << text;
  };
  expect("id,a\nu1,1\nu2,x\n", ":3: column 'a': 'x' is not a number");
  expect("id,a\nu1,1\nu2,nan\n", ":3: column 'a': 'nan' is not a finite float");
  expect("id,a\nu1,1\nu2,1e39\n", ":3: column 'a': '1e39' is not a finite float");
  expect("id,a,b\nu1,1\n", ":2: expected 3 fields, found 2");
  expect("id,a\nu1,\n", ":2: column 'a': empty value");
  expect("id,a\nu1,1\nu1,2\n", ":3: duplicate id 'u1' (first on line 2)");
  expect("id,a,a\n", ":1: duplicate column 'a' in the header");
  expect("id\nu1\n", ":1: expected an id column and at least one feature column");
  expect("id,a\n", ": no data rows");
  expect("", ": empty file (expected a header line)");
  expect("id,a\n\"u1,1\n", ":2: unterminated quote");
  EXPECT_EQ(error_of([&] { read_matrix_csv(dir.file("missing.csv")); }),
            dir.file("missing.csv") + ": cannot open file");
}

TEST(CentroidsCsv, ReordersByNameAndIgnoresSegmentColumns) {
  TempDir dir;
  write_file(dir.file("c.csv"),
             "segment,segment_name,size,b,a\n0,Champions,10,2,1\n1,\"At Risk\",5,4,3\n");
  EXPECT_EQ(read_centroids_csv(dir.file("c.csv"), {"a", "b"}, 2), (std::vector<float>{1, 2, 3, 4}));
}

TEST(CentroidsCsv, ErrorsOnShapeAndColumns) {
  TempDir dir;
  const std::string f = dir.file("c.csv");
  write_file(f, "a,b\n1,2\n");
  EXPECT_EQ(error_of([&] {
              read_centroids_csv(f, {"a", "b"}, 2);
            }),
            f + ": expected k = 2 centroid rows, found 1");
  EXPECT_EQ(error_of([&] { read_centroids_csv(f, {"a"}, 1); }),
            f + ":1: column 'b' is not a feature of the matrix");
  EXPECT_EQ(error_of([&] {
              read_centroids_csv(f, {"a", "b", "c"}, 1);
            }),
            f + ":1: missing feature column 'c'");
  write_file(f, "a\n1\n2\n3\n");
  EXPECT_EQ(error_of([&] { read_centroids_csv(f, {"a"}, 2); }),
            f + ":4: more than k = 2 centroid rows");
}

}  // namespace segmint::test
