// The ranks' side of a night: the steps rank 0 announces (merge, save), the shards loaded or the
// saved users handed to their owners (--full), then the shared read step.
#include "dist/nightly.hpp"

#include <memory>
#include <nlohmann/json.hpp>

#include "dist/comm.hpp"
#include "dist/follow.hpp"
#include "dist/job.hpp"
#include "dist/read_steps.hpp"
#include "dist/shard.hpp"
#include "dist/traffic.hpp"
#include "dist/wire.hpp"
#include "segmint/error.hpp"

namespace segmint::dist {
namespace {

// --full: the saved users keep their rows; rank 0's dictionary goes to their owners.
void hand_out_users(const UserDictionary& saved, OwnedUsers& owned) {
  const std::uint64_t n = sum(is_root() ? saved.size() : 0);
  constexpr std::uint64_t kPerRound = 1u << 20;
  for (std::uint64_t from = 0; from < n; from += kPerRound) {
    std::vector<Writer> out(static_cast<std::size_t>(size()));
    for (std::uint64_t i = from; is_root() && i < std::min(n, from + kPerRound); ++i) {
      const std::string& id = saved.id(static_cast<std::uint32_t>(i));
      Writer& w = out[static_cast<std::size_t>(owner_of(id, size()))];
      w.put(i);
      w.put_string(id);
    }
    std::vector<std::string> bytes(out.size());
    for (std::size_t d = 0; d < out.size(); ++d) bytes[d] = std::move(out[d].bytes);
    for (const std::string& m : exchange(bytes)) {
      Unpacker r(m);
      while (!r.done()) {
        const auto row = r.get<std::uint64_t>();
        owned.users.intern(r.get_string());
        owned.first.push_back(row);
      }
    }
  }
  owned.table.ensure_users(owned.users.size());
}

}  // namespace

void night_merge(pipeline::RunRecord& r, const nightly::NightlyOptions& o,
                 const std::string& plan_text, OwnedUsers& owned) {
  const nlohmann::json plan = nlohmann::json::parse(plan_text);
  const std::string state = plan.at("state").get<std::string>();
  owned = OwnedUsers();
  owned.table = UserTable(o.aggregate);
  if (!state.empty() && !plan.at("full").get<bool>()) {
    load_shard(state + "/" + nightly::shard_name(rank(), size()), owned);
  } else if (!state.empty()) {
    hand_out_users(r.users, owned);
  }
  const std::uint64_t saved = sum(owned.users.size());
  read_features(r, plan.at("files").get<std::vector<std::string>>(), o.ingest, o.aggregate,
                o.features, owned, saved);
}

void night_save(const std::string& staged, const OwnedUsers& owned) {
  save_shard(owned, staged + "/" + nightly::shard_name(rank(), size()));
  kill_point("mid_shard_save");
  barrier();  // every shard is complete before rank 0 fingerprints them and commits
}

nightly::RankedNight ranked_night(const nightly::NightlyOptions& options) {
  auto owned = std::make_shared<OwnedUsers>();
  followers_listen();
  nightly::RankedNight h;
  h.ranks = size();
  h.merge = [owned, &options](pipeline::RunRecord& r, const std::vector<std::string>& files,
                              const std::string& state, bool full) {
    const std::string plan =
        nlohmann::json{{"files", files}, {"state", state}, {"full", full}}.dump();
    announce("night.merge", plan);
    night_merge(r, options, plan, *owned);
  };
  h.save = [owned](const std::string& staged) {
    announce("night.save", staged);
    night_save(staged, *owned);
  };
  h.traffic = [](pipeline::RunRecord& r) { record_traffic(r); };
  return h;
}

}  // namespace segmint::dist
