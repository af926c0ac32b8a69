// Generator determinism: same seed -> same bytes whatever the thread count; another seed -> other
// data; a user's events depend on (seed, user index) only, not on which chunk generates them.
#include <gtest/gtest.h>

#include "generate/generator.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

struct Output {
  std::string events, truth, json;
};

Output generate(const TempDir& dir, const std::string& name, std::uint64_t seed, int threads) {
  gen::GenerateOptions o;
  o.users = 2600;  // three chunks of users
  o.seed = seed;
  o.days = 14;
  o.threads = threads;
  gen::generate_dataset(o, dir.file(name));
  return {read_file(dir.file(name + "/events.csv")), read_file(dir.file(name + "/truth.csv")),
          read_file(dir.file(name + "/generate.json"))};
}

TEST(GenerateDeterminism, SameSeedSameBytesAnyThreadCount) {
  TempDir dir;
  Output a = generate(dir, "a", 7, 1);
  Output b = generate(dir, "b", 7, 2);
  Output c = generate(dir, "c", 7, 3);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.truth, b.truth);
  EXPECT_EQ(a.json, b.json);
  EXPECT_EQ(a.events, c.events);
  EXPECT_EQ(a.json, c.json);
}

TEST(GenerateDeterminism, OtherSeedOtherData) {
  TempDir dir;
  Output a = generate(dir, "a", 7, 2);
  Output b = generate(dir, "b", 8, 2);
  EXPECT_NE(a.events, b.events);
  EXPECT_NE(a.truth, b.truth);
}

TEST(GenerateDeterminism, UserRowsDoNotDependOnTheRange) {
  gen::GenerateOptions o;
  o.seed = 99;
  std::string all, all_truth, part, part_truth;
  gen::GenerateStats s1, s2;
  gen::generate_users(o, 0, 40, all, all_truth, s1);
  gen::generate_users(o, 25, 40, part, part_truth, s2);
  // Users 25..39 generated alone are the tail of users 0..39 generated together.
  ASSERT_LT(part.size(), all.size());
  EXPECT_EQ(all.substr(all.size() - part.size()), part);
  EXPECT_EQ(all_truth.substr(all_truth.size() - part_truth.size()), part_truth);
  EXPECT_EQ(s1.users, 40u);
  EXPECT_EQ(s2.users, 15u);
}

}  // namespace
}  // namespace segmint::test
