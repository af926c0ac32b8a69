// The "mpi" block of summary.json: the read step's per-rank counts, then the whole job's bytes
// and communication time, gathered from every rank in rank order.
#include "dist/traffic.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "dist/comm.hpp"
#include "dist/follow.hpp"

namespace segmint::dist {
namespace {

nlohmann::json my_stats() {
  const CommStats& s = stats();
  return {
      {"bytes_sent", s.bytes_sent}, {"bytes_received", s.bytes_received}, {"comm_ms", s.comm_ms}};
}

// Every rank's JSON object `mine`, in rank order, on the root (empty elsewhere).
std::vector<nlohmann::json> gather_json(const nlohmann::json& mine) {
  std::vector<nlohmann::json> all;
  for (const std::string& m : gather(mine.dump())) all.push_back(nlohmann::json::parse(m));
  return all;
}

// Sum of the ranks' `bytes` and the largest `ms` of per_rank.
void add_totals(nlohmann::json& into, const nlohmann::json& per_rank, const char* bytes,
                const char* ms) {
  std::uint64_t sent = 0;
  double comm = 0;
  for (const nlohmann::json& p : per_rank) {
    sent += p.at(bytes).get<std::uint64_t>();
    comm = std::max(comm, p.at(ms).get<double>());
  }
  into["bytes_exchanged"] = sent;
  into["comm_ms_max"] = comm;
}

}  // namespace

std::string read_traffic(const OwnedUsers& owned) {
  const nlohmann::json s = my_stats();
  const nlohmann::json mine = {{"rank", rank()},
                               {"events_read", owned.counts.events},
                               {"events_owned", owned.events_owned},
                               {"users", owned.users.size()},
                               {"rounds", owned.rounds},
                               {"read_bytes_sent", s["bytes_sent"]},
                               {"read_bytes_received", s["bytes_received"]},
                               {"read_comm_ms", s["comm_ms"]}};
  const std::vector<nlohmann::json> all = gather_json(mine);
  if (!is_root()) return {};
  nlohmann::json block = {{"ranks", size()}, {"per_rank", all}};
  nlohmann::json read;
  add_totals(read, block["per_rank"], "read_bytes_sent", "read_comm_ms");
  block["read"] = read;
  return block.dump();
}

void report_traffic() { gather_json(my_stats()); }

void record_traffic(pipeline::RunRecord& r) {
  if (!active()) return;
  if (followers_listening()) announce("mpi.traffic");
  const std::vector<nlohmann::json> all = gather_json(my_stats());
  auto it = std::find_if(r.summary_extra.begin(), r.summary_extra.end(),
                         [](const auto& e) { return e.first == "mpi"; });
  if (it == r.summary_extra.end()) {
    r.summary_extra.emplace_back("mpi", nlohmann::json{{"ranks", size()}}.dump());
    it = std::prev(r.summary_extra.end());
  }
  nlohmann::json block = nlohmann::json::parse(it->second);
  if (!block.contains("per_rank")) {
    block["per_rank"] = nlohmann::json::array();
    for (int i = 0; i < size(); ++i) block["per_rank"].push_back({{"rank", i}});
  }
  for (std::size_t i = 0; i < all.size(); ++i) block["per_rank"][i].update(all[i]);
  add_totals(block, block["per_rank"], "bytes_sent", "comm_ms");
  it->second = block.dump();
}

}  // namespace segmint::dist
