// The feature table reader of `segmint cluster`: values, names, and FILE:LINE errors.
#include <gtest/gtest.h>

#include "pipeline/feature_table.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::pipeline {
namespace {

std::string error_of(const std::string& path) {
  try {
    read_feature_table(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ProfileFeatureTable, ReadsIdsNamesAndValues) {
  test::TempDir dir;
  test::write_file(dir.file("m.csv"), "id,a,b\r\n\"u,1\",1.5,-2\r\nu2,3e2,0\r\n\r\n");
  FeatureTable t = read_feature_table(dir.file("m.csv"));
  EXPECT_EQ(t.ids, (std::vector<std::string>{"u,1", "u2"}));
  EXPECT_EQ(t.values.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.values.rows, 2u);
  EXPECT_EQ(t.values.cols, 2u);
  EXPECT_EQ(t.values.values, (std::vector<float>{1.5f, -2.f, 300.f, 0.f}));
}

TEST(ProfileFeatureTable, BadInputNamesFileAndLine) {
  test::TempDir dir;
  test::write_file(dir.file("a.csv"), "id,a\nu1,1\nu2,nan\n");
  EXPECT_NE(error_of(dir.file("a.csv")).find("a.csv:3: 'nan' in column 'a'"), std::string::npos);
  test::write_file(dir.file("b.csv"), "id,a\nu1,1,2\n");
  EXPECT_NE(error_of(dir.file("b.csv")).find("b.csv:2: expected 2 fields, found 3"),
            std::string::npos);
  test::write_file(dir.file("c.csv"), "id,a\n,1\n");
  EXPECT_NE(error_of(dir.file("c.csv")).find("c.csv:2: empty id"), std::string::npos);
  test::write_file(dir.file("d.csv"), "id,a\nu1,1\nu1,2\n");
  EXPECT_NE(error_of(dir.file("d.csv")).find("d.csv:3: id 'u1' repeats line 2"),
            std::string::npos);
  test::write_file(dir.file("e.csv"), "justid\nu1\n");
  EXPECT_NE(error_of(dir.file("e.csv")).find("e.csv:1: expected a header"), std::string::npos);
  EXPECT_NE(error_of(dir.file("missing.csv")).find("missing.csv: cannot open"),
            std::string::npos);
}

}  // namespace
}  // namespace segmint::pipeline
