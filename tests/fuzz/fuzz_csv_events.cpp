// Fuzz target: event CSV (any preset or a mapping) -> ingest -> aggregate -> features -> scaler.
// The first byte picks the schema and options; the rest is the file.
#include <cmath>

#include "fuzz_support.hpp"
#include "ingest/csv_source.hpp"
#include "segmint/aggregate.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"

using namespace segmint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // Small chunks: fast per input, and records cross chunk seams as in big files.
  ingest::CsvSource::chunk_bytes_per_thread = 256;
  const std::uint8_t mode = data[0];
  fuzz::MemFile file(data + 1, size - 1);
  IngestOptions o;
  const char* schemas[] = {"auto", "rees46", "online-retail", "taobao", "retailrocket", "custom"};
  o.schema = schemas[mode % 6];
  if (o.schema == "custom") {
    o.column_map = {{"user", "u"}, {"time", "t"}, {"type", "e"}, {"amount", "a"},
                    {"session", "s"}, {"order", "o"}, {"category", "c"}};
  }
  o.skip_bad_rows = (mode >> 3) & 1;
  o.batch_rows = 1 + ((mode >> 4) & 7) * 3;  // tiny batches: exercise batch boundaries
  o.threads = 1;
  o.count_orders = (mode >> 7) & 1;
  fuzz::expect_only_segmint_errors([&] {
    UserDictionary users;
    auto source = open_events({file.path()}, o, users);
    AggregateOptions ao;
    ao.threads = 1;
    ao.session_gap_seconds = 60 * (1 + (mode & 7));
    UserTable table = aggregate_events(*source, ao);
    table.ensure_users(users.size());
    std::int64_t as_of = 0;
    FeatureMatrix raw = compute_features(table, {}, &as_of);
    SEGMINT_FUZZ_CHECK(raw.rows == users.size());
    for (float v : raw.values) SEGMINT_FUZZ_CHECK(std::isfinite(v));
    TransformOptions t;
    Scaler scaler = fit_scaler(raw, t);
    FeatureMatrix x = scaler.transform(raw);
    for (float v : x.values) SEGMINT_FUZZ_CHECK(std::isfinite(v));
  });
  return 0;
}
