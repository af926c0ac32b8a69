// Device features vs the CPU backend (1e-5 relative, every user and feature) on random events,
// generated data and the shared real data sets; the no-device error path.
#include <filesystem>

#include "features_gpu_support.hpp"
#include "generate/generator.hpp"
#include "segmint/error.hpp"
#include "segmint/ingest.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

TEST(GpuFeaturesParity, WithoutADeviceThrowsDeviceError) {
  std::string why;
  if (cuda_device_usable(&why)) GTEST_SKIP() << "a GPU is usable: the no-device path is not taken";
  const EventBatch b = random_events(10, 100, 1);
  EXPECT_THROW(compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}), DeviceError);
}

TEST(GpuFeaturesParity, RandomEventsMatchTheCpuBackend) {
  SEGMINT_SKIP_WITHOUT_GPU();
  for (std::uint64_t seed : {1, 2, 3}) {
    const EventBatch b = random_events(500, 20000, seed);
    AggregateOptions a;
    a.tz_offset_minutes = seed == 2 ? -300 : 60;
    a.session_gap_seconds = seed == 3 ? 600 : 1800;
    FeatureOptions f;
    std::int64_t as_of_gpu = 0, as_of_cpu = 0;
    const FeatureMatrix gpu = compute_features_gpu(b, a, f, {}, nullptr, &as_of_gpu);
    UserTable t(a);
    t.add(b);
    const FeatureMatrix cpu = compute_features(t, f, &as_of_cpu);
    EXPECT_EQ(as_of_gpu, as_of_cpu);
    expect_features_near(gpu, cpu);
  }
}

TEST(GpuFeaturesParity, UsersWithoutEventsAndAnExplicitAsOf) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const EventBatch b = random_events(50, 2000, 9);
  GpuFeatureOptions g;
  g.min_users = 80;  // 30 dictionary users whose rows were all skipped
  FeatureOptions f;
  f.as_of = 1572480000;
  expect_features_near(compute_features_gpu(b, AggregateOptions{}, f, g),
                       cpu_features(b, AggregateOptions{}, f, 80));
}

TEST(GpuFeaturesParity, GeneratedDataMatchesTheCpuBackend) {
  SEGMINT_SKIP_WITHOUT_GPU();
  TempDir dir;
  gen::GenerateOptions o;
  o.users = 3000;
  o.seed = 7;
  gen::generate_dataset(o, dir.path().string());
  UserDictionary users;
  const EventBatch b = read_all_events({dir.file("events.csv")}, IngestOptions{}, users);
  expect_features_near(compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}),
                       cpu_features(b, AggregateOptions{}, FeatureOptions{}));
}

TEST(GpuFeaturesParity, SharedDatasetsMatchTheCpuBackend) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const std::filesystem::path root = SEGMINT_SHARED_DATASETS;
  const char* files[] = {"2019-Oct_head17k.csv", "online_retail_II_2009-2010.csv.gz",
                         "taobao_userbehavior_814users.csv.gz"};
  int ran = 0;
  for (const char* name : files) {
    if (!std::filesystem::exists(root / name)) continue;
    SCOPED_TRACE(name);
    UserDictionary users;
    IngestOptions in;
    in.skip_bad_rows = true;
    const EventBatch b = read_all_events({(root / name).string()}, in, users);
    GpuFeatureOptions g;
    g.min_users = users.size();
    expect_features_near(compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}, g),
                         cpu_features(b, AggregateOptions{}, FeatureOptions{}, users.size()));
    ++ran;
  }
  if (ran == 0) GTEST_SKIP() << "none of the shared data sets is in " << root;
}

}  // namespace
}  // namespace segmint::test
