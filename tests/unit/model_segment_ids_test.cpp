// Stable segment ids in the pipeline (nightly keeps ids across nights): model.json's optional
// segment_ids, the id column of the output files, and naming around names already taken.
#include <gtest/gtest.h>

#include "outputs/model.hpp"
#include "profile/naming.hpp"
#include "outputs/outputs.hpp"
#include "pipeline/segment.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {
namespace {

Model two_segments() {
  Model m;
  m.feature_catalog = {"recency_days", "monetary"};
  m.scaler.names = {"recency_days", "monetary"};
  m.scaler.source_columns = {0, 1};
  m.scaler.log1p = {0, 1};
  m.scaler.mean = {10, 2};
  m.scaler.stddev = {3, 1};
  m.scaler.weight = {1, 1};
  m.k = 2;
  m.d = 2;
  m.centroids = {0.5f, -1.0f, -0.5f, 1.0f};
  m.names = {"Champions", "Dormant"};
  m.sizes = {6, 4};
  return m;
}

TEST(ModelSegmentIds, RoundTripAndAbsentMeansRowOrder) {
  Model m = two_segments();
  std::string plain = model_to_json(m);
  EXPECT_EQ(plain.find("segment_ids"), std::string::npos);  // run's model.json is unchanged
  Model r = model_from_json(plain, "m.json");
  EXPECT_TRUE(r.segment_ids.empty());
  EXPECT_EQ(segment_id(r, 1), 1);
  m.segment_ids = {3, 7};
  r = model_from_json(model_to_json(m), "m.json");
  EXPECT_EQ(r.segment_ids, (std::vector<int>{3, 7}));
  EXPECT_EQ(segment_id(r, 0), 3);
  EXPECT_EQ(segment_id(r, 1), 7);
}

TEST(ModelSegmentIds, BadIdsAreInputErrors) {
  for (std::vector<int> ids : {std::vector<int>{3}, {3, 3}, {-1, 2}, {1, 2, 3}}) {
    Model m = two_segments();
    m.segment_ids = ids;
    try {
      model_from_json(model_to_json(m), "m.json");
      ADD_FAILURE() << "accepted " << ids.size() << " ids";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("m.json"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("segment_ids"), std::string::npos) << e.what();
    }
  }
}

TEST(ModelSegmentIds, OutputsWriteTheIdOfEachRow) {
  std::string a = assignments_csv({"u2", "u1"}, {1, 0}, {0.5f, 0.25f}, {"Champions", "Dormant"},
                                  {3, 7});
  EXPECT_EQ(a, "user_id,segment,segment_name,distance\nu1,3,Champions,0.25\nu2,7,Dormant,0.5\n");
  Profiles p;
  p.features = {"monetary"};
  p.segments.resize(2);
  p.segments[0].size = 6;
  p.segments[0].mean = {10};
  p.segments[1].size = 4;
  p.segments[1].mean = {2.5};
  EXPECT_EQ(centroids_csv(p, {"Champions", "Dormant"}, {3, 7}),
            "segment,segment_name,size,monetary\n3,Champions,6,10\n7,Dormant,4,2.5\n");
  Summary s;
  s.segment_names = {"Champions", "Dormant"};
  s.segment_sizes = {6, 4};
  s.segment_ids = {3, 7};
  s.extra = {{"changes", R"({"new_segments":[7]})"}};
  std::string j = summary_json(s);
  EXPECT_NE(j.find("\"segment\": 7"), std::string::npos) << j;
  EXPECT_NE(j.find("\"new_segments\": [\n      7\n    ]"), std::string::npos) << j;
  std::string table = segment_table(p, {"Champions", "Dormant"}, {3, 7});
  EXPECT_EQ(table.substr(table.find('\n') + 1, 2), "3 ") << table;
  EXPECT_NE(table.find("\n7 "), std::string::npos) << table;
}

Profiles rfm(const std::vector<std::vector<double>>& z) {
  Profiles p;
  p.features = {"recency_days", "frequency", "monetary", "tenure_days"};
  for (const auto& row : z) {
    SegmentProfile s;
    s.size = 10;
    s.z = row;
    s.mean.assign(row.size(), 0);
    p.segments.push_back(s);
  }
  return p;
}

TEST(ModelSegmentIds, NamingKeepsGivenNamesAndNeverReusesThem) {
  //                 rec   freq  mon   tenure
  Profiles p = rfm({{-1.0, 1.5, 1.5, 0.5},    // Champions by the rules
                    {1.5, -1.0, -1.0, 0.4},   // Lost by the rules (was Dormant)
                    {-1.0, 1.4, 1.4, 0.5}});  // Champions-like too
  EXPECT_EQ(name_segments(p, {}), name_segments(p));
  // Segment 0 keeps yesterday's name; "Champions" is then free for the best other match.
  auto names = name_segments(p, {"Loyal Regulars", "", ""});
  EXPECT_EQ(names[0], "Loyal Regulars");
  EXPECT_EQ(names[1], "Lost");
  EXPECT_EQ(names[2], "Champions");
  // A kept "Champions" is not handed out again: the look-alike gets another name.
  names = name_segments(p, {"Champions", "", ""});
  EXPECT_EQ(names[0], "Champions");
  EXPECT_EQ(names[1], "Lost");
  EXPECT_NE(names[2], "Champions");
  EXPECT_FALSE(names[2].empty());
}

}  // namespace
}  // namespace segmint::pipeline
