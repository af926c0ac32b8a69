// Online Retail II split into consecutive months, merged night by night, gives the same per-user
// features as one `segmint features` over the whole file (skips without the data set).
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <fstream>

#include "nightly_support.hpp"

namespace segmint::test {
namespace {

// InvoiceDate (5th field) of a CSV line whose Description may be quoted with commas inside.
std::string fifth_field(const std::string& line) {
  int field = 0;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"') quoted = !quoted;
    if (i == line.size() || (line[i] == ',' && !quoted)) {
      if (field == 4) return line.substr(start, i - start);
      ++field;
      start = i + 1;
    }
  }
  return "";
}

// Writes one CSV per calendar month ("YYYY-MM" of InvoiceDate, in file order), header in each.
std::vector<std::string> split_by_month(const std::string& gz, const std::string& dir) {
  gzFile in = gzopen(gz.c_str(), "rb");
  if (!in) throw std::runtime_error("cannot open " + gz);
  std::vector<std::string> files;
  std::map<std::string, std::string> text;  // month -> rows (sorted months = consecutive)
  std::string header, line;
  char buf[1 << 16];
  while (gzgets(in, buf, sizeof buf)) {
    line += buf;
    if (line.empty() || line.back() != '\n') continue;
    if (header.empty()) {
      header = line;
    } else {
      text[fifth_field(line).substr(0, 7)] += line;
    }
    line.clear();
  }
  gzclose(in);
  for (const auto& [month, rows] : text) {
    files.push_back(dir + "/retail-" + month + ".csv");
    write_file(files.back(), header + rows);
  }
  return files;
}

TEST(NightlyRetail, MonthByMonthEqualsOneFeaturesRun) {
  auto data = shared_dataset("online_retail_II_2009-2010.csv.gz");
  if (!data) GTEST_SKIP() << "../shared/datasets/online_retail_II_2009-2010.csv.gz is absent";
  TempDir dir;
  auto files = split_by_month(*data, dir.path().string());
  ASSERT_GE(files.size(), 12u);  // Dec 2009 .. Dec 2010
  const std::vector<std::string> opts = {"--schema", "online-retail", "--on-bad-row", "skip"};
  for (const auto& f : files) {
    std::vector<std::string> a = {"nightly", "--state", dir.file("s"), "--events", f,
                                  "--k", "4", "--seed", "1", "--device", "cpu",
                                  "--write-features", "--keep", "1"};
    a.insert(a.end(), opts.begin(), opts.end());
    auto r = run_cli(a);
    ASSERT_EQ(r.exit_code, 0) << f << "\n" << r.err;
  }
  std::vector<std::string> a = {"features", "--events", *data, "--out", dir.file("all.csv")};
  a.insert(a.end(), opts.begin(), opts.end());
  auto f = run_cli(a);
  ASSERT_EQ(f.exit_code, 0) << f.err;
  auto x = read_csv(dir.file("s/latest/features.csv")), y = read_csv(dir.file("all.csv"));
  ASSERT_EQ(x.size(), y.size());
  ASSERT_GT(x.size(), 1000u);
  ASSERT_EQ(x[0], y[0]);
  std::size_t mismatches = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    ASSERT_EQ(x[i][0], y[i][0]);
    ASSERT_EQ(x[i].size(), y[i].size());
    for (std::size_t j = 1; j < x[i].size(); ++j) {
      double p = std::stod(x[i][j]), q = std::stod(y[i][j]);
      if (std::fabs(p - q) > 1e-5 * std::max(1.0, std::fabs(q)) && ++mismatches <= 5) {
        ADD_FAILURE() << x[i][0] << " " << x[0][j] << ": nightly " << p << " vs " << q;
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

}  // namespace
}  // namespace segmint::test
