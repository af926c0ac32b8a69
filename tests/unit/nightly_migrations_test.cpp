// Migration table: hand-counted moves, new users apart, size changes, CSV and JSON forms.
#include <gtest/gtest.h>

#include "nightly/migrations.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {
namespace {

// Yesterday: ids 3 ("A") and 5 ("B"); tonight 5 ("B") and 8 ("C", new); 3 vanished.
// Users 0..5 existed yesterday, 6 and 7 are new tonight.
//   user:    0  1  2  3  4  5 | 6  7
//   before:  3  3  5  5  5  3 | -  -
//   after:   5  8  5  5  8  5 | 8  5
Migrations example() {
  return count_migrations({{5, "B"}, {3, "A"}}, {{8, "C"}, {5, "B"}}, {3, 3, 5, 5, 5, 3},
                          {5, 8, 5, 5, 8, 5, 8, 5});
}

TEST(NightlyMigrations, CountsByHand) {
  Migrations m = example();
  ASSERT_EQ(m.from.size(), 2u);
  EXPECT_EQ(m.from[0].id, 3);  // sorted by id
  EXPECT_EQ(m.to[0].id, 5);
  // from 3: users 0,5 -> 5; user 1 -> 8.  from 5: users 2,3 -> 5; user 4 -> 8.
  EXPECT_EQ(m.counts, (std::vector<std::uint64_t>{2, 1, 2, 1}));
  EXPECT_EQ(m.new_users, (std::vector<std::uint64_t>{1, 1}));
  EXPECT_EQ(m.stayed, 2u);  // users 2 and 3 kept id 5
  EXPECT_EQ(m.moved, 4u);
  EXPECT_EQ(m.new_total, 2u);
  EXPECT_EQ(m.size_before(3), 3u);
  EXPECT_EQ(m.size_after(3), 0u);
  EXPECT_EQ(m.size_before(5), 3u);
  EXPECT_EQ(m.size_after(5), 5u);
  EXPECT_EQ(m.size_after(8), 3u);
}

TEST(NightlyMigrations, Csv) {
  EXPECT_EQ(migrations_csv(example()),
            "from_segment,from_name,to_segment,to_name,users\n"
            "3,A,5,B,2\n3,A,8,C,1\n5,B,5,B,2\n5,B,8,C,1\n"
            "new,,5,B,1\nnew,,8,C,1\n");
  auto quoted = count_migrations({}, {{0, "Big, \"loyal\""}}, {}, {0});
  EXPECT_EQ(migrations_csv(quoted),
            "from_segment,from_name,to_segment,to_name,users\nnew,,0,\"Big, \"\"loyal\"\"\",1\n");
}

TEST(NightlyMigrations, Json) {
  auto j = migrations_json(example());
  EXPECT_EQ(j["from"], nlohmann::json({3, 5}));
  EXPECT_EQ(j["to"], nlohmann::json({5, 8}));
  EXPECT_EQ(j["counts"], nlohmann::json({{2, 1}, {2, 1}}));
  EXPECT_EQ(j["users_new"], 2);
  ASSERT_EQ(j["sizes"].size(), 3u);
  EXPECT_EQ(j["sizes"][0]["segment"], 3);
  EXPECT_EQ(j["sizes"][0]["change"], -3);
  EXPECT_EQ(j["sizes"][1]["change"], 2);
  EXPECT_EQ(j["sizes"][2]["segment_name"], "C");
  EXPECT_EQ(j["sizes"][2]["change"], 3);
}

TEST(NightlyMigrations, RejectsInconsistentInput) {
  EXPECT_THROW(count_migrations({{0, "A"}}, {{0, "A"}}, {0, 0}, {0}), RuntimeError);
  EXPECT_THROW(count_migrations({{0, "A"}}, {{0, "A"}}, {0}, {1}), RuntimeError);
  EXPECT_THROW(count_migrations({{0, "A"}}, {{1, "B"}}, {7}, {1}), RuntimeError);
}

}  // namespace
}  // namespace segmint::nightly
