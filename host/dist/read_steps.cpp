// dist::read_features: plan the pieces, exchange, global rows, features, gather at the root,
// and the read step's part of summary.json's "mpi" block (dist/traffic.hpp).
#include "dist/read_steps.hpp"

#include "common/log.hpp"
#include "common/stopwatch.hpp"
#include "dist/comm.hpp"
#include "dist/order.hpp"
#include "dist/rows.hpp"
#include "dist/traffic.hpp"
#include "dist/wire.hpp"
#include "segmint/error.hpp"

namespace segmint::dist {
namespace {

// Every rank's read counts merged in rank order (the order one process reads the files in).
IngestCounts merged_counts(const IngestCounts& mine) {
  Writer w;
  w.put(mine);
  IngestCounts all;
  for (const std::string& m : gather(w.bytes)) all.merge(Unpacker(m).get<IngestCounts>());
  return all;
}

}  // namespace

void read_features(pipeline::RunRecord& r, const std::vector<std::string>& paths,
                   const IngestOptions& ingest, const AggregateOptions& aggregate,
                   const FeatureOptions& features, OwnedUsers& owned, std::uint64_t state_rows) {
  r.source = "events";
  r.aggregate = aggregate;
  exchange_events(plan_pieces(paths, size(), rank()), ingest, owned);
  Stopwatch watch;
  std::uint64_t total = 0;
  owned.rows = global_rows(owned.first, state_rows, &total);
  const FeatureMatrix mine = owned_features(owned.table, features, &r.as_of);
  std::vector<std::string> ids;
  gather_rows(owned.users, mine, owned.rows, total, &ids, &r.raw);
  const double features_ms = watch.lap();
  r.counts = merged_counts(owned.counts);
  r.min_time = r.counts.min_time;
  r.max_time = r.counts.max_time;
  pipeline::add_timing(r, "read", max(owned.read_ms));
  pipeline::add_timing(r, "aggregate", max(owned.aggregate_ms));
  pipeline::add_timing(r, "features", max(features_ms));
  const std::string block = read_traffic(owned);
  if (!is_root()) return;
  r.users = UserDictionary();
  for (const std::string& id : ids) r.users.intern(id);
  if (r.users.size() != total) throw RuntimeError("read_features: user ids repeat across ranks");
  r.summary_extra.emplace_back("mpi", block);
  log_info("read " + std::to_string(r.counts.events) + " events of " +
           std::to_string(r.users.size()) + " users on " + std::to_string(size()) + " ranks");
}

void read_features(pipeline::RunRecord& r, const std::vector<std::string>& paths,
                   const IngestOptions& ingest, const AggregateOptions& aggregate,
                   const FeatureOptions& features) {
  OwnedUsers owned;
  owned.table = UserTable(aggregate);
  read_features(r, paths, ingest, aggregate, features, owned, 0);
}

}  // namespace segmint::dist
