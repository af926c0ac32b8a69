// dist::read_features: plan the pieces, exchange, global rows, features, gather at the root,
// and the "mpi" block of summary.json (ranks, per-rank events and users, bytes, time).
#include "dist/read_steps.hpp"

#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "common/stopwatch.hpp"
#include "dist/comm.hpp"
#include "dist/order.hpp"
#include "dist/rows.hpp"
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

// summary.json "mpi": what each rank read, owned and moved.
std::string mpi_block(const OwnedUsers& owned) {
  const CommStats& s = stats();
  nlohmann::json mine = {{"rank", rank()},
                         {"events_read", owned.counts.events},
                         {"events_owned", owned.events_owned},
                         {"users", owned.users.size()},
                         {"rounds", owned.rounds},
                         {"bytes_sent", s.bytes_sent},
                         {"bytes_received", s.bytes_received},
                         {"comm_ms", s.comm_ms}};
  const std::vector<std::string> all = gather(mine.dump());
  if (!is_root()) return {};
  nlohmann::json block = {{"ranks", size()}};
  std::uint64_t bytes = 0;
  double comm = 0;
  nlohmann::json per_rank = nlohmann::json::array();
  for (const std::string& m : all) {
    per_rank.push_back(nlohmann::json::parse(m));
    bytes += per_rank.back()["bytes_sent"].get<std::uint64_t>();
    comm = std::max(comm, per_rank.back()["comm_ms"].get<double>());
  }
  block["bytes_exchanged"] = bytes;
  block["comm_ms_max"] = comm;
  block["per_rank"] = per_rank;
  return block.dump();
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
  const std::string block = mpi_block(owned);
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
