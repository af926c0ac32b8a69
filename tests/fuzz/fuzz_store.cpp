// Fuzz target: the binary event store reader, then aggregation and features of what it served.
#include <cmath>

#include "fuzz_support.hpp"
#include "segmint/aggregate.hpp"
#include "segmint/event_store.hpp"
#include "segmint/features.hpp"
#include "store/store_reader.hpp"

using namespace segmint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::MemFile file(data, size);
  fuzz::expect_only_segmint_errors([&] {
    UserDictionary users;
    IngestOptions o;
    o.batch_rows = 5;
    auto source = open_event_store(file.path(), o, users);
    AggregateOptions ao;
    ao.threads = 1;
    UserTable table = aggregate_events(*source, ao);
    table.ensure_users(users.size());
    FeatureMatrix raw = compute_features(table, {});
    for (float v : raw.values) SEGMINT_FUZZ_CHECK(std::isfinite(v));
  });
  return 0;
}
