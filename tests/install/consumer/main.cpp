// Uses an installed segmint::core: events CSV -> per-user aggregates -> features -> scaler.
#include <cstdio>
#include <fstream>

#include "segmint/aggregate.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"

int main() {
  const char* path = "consumer-events.csv";
  std::ofstream(path) << "event_time,event_type,product_id,category_id,category_code,brand,price,"
                         "user_id,user_session\n"
                         "2019-10-01 00:00:00 UTC,view,1,10,,,5.0,u1,s1\n"
                         "2019-10-01 00:01:00 UTC,purchase,1,10,,,5.0,u1,s1\n"
                         "2019-10-02 00:00:00 UTC,view,2,20,,,7.5,u2,s2\n";
  segmint::UserDictionary users;
  auto source = segmint::open_events({path}, segmint::IngestOptions{}, users);
  segmint::UserTable table = segmint::aggregate_events(*source, segmint::AggregateOptions{});
  segmint::FeatureMatrix raw = segmint::compute_features(table, segmint::FeatureOptions{});
  segmint::Scaler scaler = segmint::fit_scaler(raw, segmint::TransformOptions{});
  const segmint::FeatureInfo* monetary = segmint::find_feature("monetary");
  std::size_t col = 0;
  while (col < raw.names.size() && raw.names[col] != "monetary") ++col;
  const bool ok = raw.rows == 2 && monetary && col < raw.cols &&
                  raw.at(users.intern("u1"), col) == 5.0f && !scaler.names.empty();
  std::printf("segmint consumer: %zu users, %zu features: %s\n", raw.rows, raw.cols,
              ok ? "ok" : "unexpected");
  return ok ? 0 : 1;
}
