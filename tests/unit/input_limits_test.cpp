// Limits of what readers accept (issue 13, defects 4 and 8): a record over 64 MiB is reported at
// its line; matrix and centroid readers take plain decimals only (no hex floats); times stay in
// years 0000..9999; values k-means would square into inf are rejected before clustering.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>

#include "ingest/matrix_csv.hpp"
#include "ingest/timestamp.hpp"
#include "segmint/backend.hpp"
#include "segmint/error.hpp"
#include "segmint/ingest.hpp"
#include "segmint/kmeans.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

TEST(InputLimits, OverlongRecordIsReportedAtItsLine) {
  TempDir dir;
  const std::string path = dir.file("long.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "user_id,event_time,event_type,price\n";
    for (int i = 0; i < 5; ++i) out << "u" << i << ",2020-01-01 00:00:00,view,1\n";
    out << "u9,\"2020-01-01 00:00:00,view,1\n";  // the quote never closes
    const std::string filler(1000, 'x');
    for (int i = 0; i < 70000; ++i) out << filler << '\n';
  }
  for (int threads : {1, 2}) {
    IngestOptions o;
    o.column_map = {{"user", "user_id"}, {"time", "event_time"}, {"type", "event_type"},
                    {"amount", "price"}};
    o.threads = threads;
    UserDictionary users;
    const std::string err = error_of([&] { read_all_events({path}, o, users); });
    EXPECT_NE(err.find(path + ":7: a record longer than 64 MiB"), std::string::npos) << err;
  }
}

TEST(InputLimits, MatrixReaderTakesDecimalsOnly) {
  TempDir dir;
  const std::string path = dir.file("m.csv");
  for (const char* v : {"0x10", "0X1p3", "infinity", "1e", "--1", ".", "1.5e+"}) {
    write_file(path, std::string("id,a\nu1,") + v + "\nu2,1\n");
    const std::string err = error_of([&] { read_matrix_csv(path); });
    EXPECT_NE(err.find(path + ":2: column 'a'"), std::string::npos) << v << ": " << err;
  }
  for (const char* v : {"16", "-1.5", "+2e3", "1.", ".5", "3E-2"}) {
    write_file(path, std::string("id,a\nu1,") + v + "\nu2,1\n");
    EXPECT_EQ(error_of([&] { read_matrix_csv(path); }), "") << v;
  }
}

TEST(InputLimits, TimesOutsideYears0To9999AreNotTimes) {
  using ingest::parse_timestamp;
  EXPECT_TRUE(parse_timestamp("9999-12-31 23:59:59"));
  EXPECT_TRUE(parse_timestamp("0001-01-01 00:00:00"));
  EXPECT_FALSE(parse_timestamp("0000-01-01 00:00:00+01:00"));  // before year 0000 in UTC
  EXPECT_FALSE(parse_timestamp("999999999999999999"));          // 1e15 s: year 31 million
  EXPECT_TRUE(parse_timestamp("253402300799"));                 // read as ms: year 1978
  EXPECT_EQ(*parse_timestamp("99999999999"), 99999999999);      // seconds, year 5138
}

TEST(InputLimits, KMeansRejectsValuesItWouldSquareIntoInf) {
  FeatureMatrix x;
  x.rows = 4;
  x.cols = 2;
  x.values = {3e19f, 0, -3e19f, 0, 0, 3e19f, 1, 1};
  KMeansParams p;
  p.k = 2;
  BackendOptions cpu_only;
  cpu_only.device = DeviceChoice::cpu;
  cpu_only.cpu_threads = 1;
  std::unique_ptr<Backend> cpu = make_backend(cpu_only);
  const std::string err = error_of([&] { cpu->kmeans(x.view(), nullptr, p); });
  EXPECT_NE(err.find("too large for float32 distances at row 1, column 1"), std::string::npos)
      << err;
  x.values = {1e18f, 0, -1e18f, 0, 0, 1e18f, 1, 1};  // inside the range: finite inertia
  KMeansResult r = cpu->kmeans(x.view(), nullptr, p);
  EXPECT_TRUE(std::isfinite(r.inertia));
  for (float dist : r.distances) EXPECT_TRUE(std::isfinite(dist));
  p.init = InitMethod::given;
  p.initial_centroids = {1e30f, 0, 0, 0};
  EXPECT_NE(error_of([&] { cpu->kmeans(x.view(), nullptr, p); }).find("initial centroids"),
            std::string::npos);
}

}  // namespace
}  // namespace segmint::test
