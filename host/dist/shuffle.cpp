// exchange_events: read a batch, pack it per owner (users, then events), MPI_Alltoallv, fold the
// received events into the owner's table; rounds until every rank has read all of its pieces.
#include "dist/shuffle.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include "common/stopwatch.hpp"
#include "dist/comm.hpp"
#include "dist/job.hpp"
#include "dist/wire.hpp"
#include "segmint/detail/rng.hpp"
#include "segmint/event_store.hpp"

namespace segmint::dist {

int owner_of(std::string_view id, int ranks) {
  // Mixed again: the dictionary's tables index by the low bits of the same hash.
  return static_cast<int>(detail::mix64(UserDictionary::hash(id)) % static_cast<unsigned>(ranks));
}

namespace {

// This rank's reading side: the pieces in order, one batch at a time, with the users each batch
// met for the first time on this rank (its appearances, numbered in order).
class Reader {
 public:
  Reader(const std::vector<Piece>& pieces, const IngestOptions& options)
      : pieces_(pieces), options_(options) {}

  /// The next batch (possibly empty while users still appeared); false when all is read.
  bool next(EventBatch& batch) {
    batch.clear();
    for (;;) {
      if (!source_) {
        if (at_ >= pieces_.size()) return false;
        // CSV readers intern per row, so their dictionary can restart every batch (memory
        // bounded by the batch); an event store interns its whole id table when opened.
        reset_each_batch_ = !is_event_store(pieces_[at_].path);
        users_ = UserDictionary();
        known_ = 0;
        source_ = open_piece(pieces_[at_], options_, users_);
      }
      const bool more = source_->next(batch);
      if (more || users_.size() > known_) return true;
      counts_.merge(source_->counts());
      source_.reset();
      ++at_;
    }
  }
  /// Dictionary of the last batch; users [known(), users().size()) appeared in it.
  const UserDictionary& users() const { return users_; }
  std::size_t known() const { return known_; }
  std::uint64_t seq() const { return seq_; }
  /// After the batch was packed: numbers its appearances, restarts the dictionary when allowed.
  void done_with_batch() {
    seq_ += users_.size() - known_;
    known_ = users_.size();
    if (reset_each_batch_ && source_) {
      users_ = UserDictionary();  // the source keeps its reference; indices restart at 0
      known_ = 0;
    }
  }
  IngestCounts counts() const {
    IngestCounts c = counts_;
    if (source_) c.merge(source_->counts());
    return c;
  }

 private:
  const std::vector<Piece>& pieces_;
  IngestOptions options_;
  std::size_t at_ = 0;
  std::unique_ptr<EventSource> source_;
  UserDictionary users_;
  std::size_t known_ = 0;
  std::uint64_t seq_ = 0;
  bool reset_each_batch_ = true;
  IngestCounts counts_;
};

// Packs one batch into one message per owner: [users: key, id] [events: user slot, columns].
std::vector<std::string> pack(const Reader& reader, const EventBatch& batch, int ranks, int me) {
  const UserDictionary& dict = reader.users();
  const auto n = static_cast<std::size_t>(ranks);
  std::vector<Writer> users(n), events(n);
  std::vector<std::uint32_t> user_count(n, 0), event_count(n, 0);
  std::vector<std::int64_t> slot(dict.size(), -1);
  std::vector<int> owner(dict.size(), -1);
  auto add_user = [&](std::uint32_t u, std::uint64_t key) {
    if (owner[u] < 0) owner[u] = owner_of(dict.id(u), ranks);
    const auto d = static_cast<std::size_t>(owner[u]);
    slot[u] = user_count[d]++;
    users[d].put(key);
    users[d].put_string(dict.id(u));
  };
  for (std::size_t u = reader.known(); u < dict.size(); ++u) {
    add_user(static_cast<std::uint32_t>(u),
             appearance_key(me, reader.seq() + (u - reader.known())));
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::uint32_t u = batch.user[i];
    if (slot[u] < 0) add_user(u, ~std::uint64_t{0});
    const auto d = static_cast<std::size_t>(owner[u]);
    ++event_count[d];
    Writer& w = events[d];
    w.put(static_cast<std::uint32_t>(slot[u]));
    w.put(batch.time[i]);
    w.put(static_cast<std::uint8_t>(batch.type[i]));
    w.put(batch.amount[i]);
    w.put(batch.item[i]);
    w.put(batch.category[i]);
    w.put(batch.session[i]);
    w.put(batch.order[i]);
  }
  std::vector<std::string> out(n);
  for (std::size_t d = 0; d < n; ++d) {
    Writer w;
    w.put(user_count[d]);
    w.bytes += users[d].bytes;
    w.put(event_count[d]);
    w.bytes += events[d].bytes;
    out[d] = std::move(w.bytes);
  }
  return out;
}

// Folds one received message into the owner's state.
void unpack(const std::string& message, OwnedUsers& owned, EventBatch& batch) {
  Unpacker r(message);
  const auto n_users = r.get<std::uint32_t>();
  std::vector<std::uint32_t> local(n_users);
  for (std::uint32_t i = 0; i < n_users; ++i) {
    const auto key = r.get<std::uint64_t>();
    const std::string_view id = r.get_string();
    const std::uint32_t u = owned.users.intern(id);
    if (u == owned.first.size())
      owned.first.push_back(key);
    else
      owned.first[u] = std::min(owned.first[u], key);
    local[i] = u;
  }
  const auto n_events = r.get<std::uint32_t>();
  batch.clear();
  batch.reserve(n_events);
  for (std::uint32_t i = 0; i < n_events; ++i) {
    const std::uint32_t u = local.at(r.get<std::uint32_t>());
    const auto t = r.get<std::int64_t>();
    const auto type = static_cast<EventType>(r.get<std::uint8_t>());
    const auto amount = r.get<double>();
    const auto item = r.get<std::uint64_t>();
    const auto category = r.get<std::uint64_t>();
    const auto session = r.get<std::uint64_t>();
    const auto order = r.get<std::uint64_t>();
    batch.push_back(u, t, type, amount, item, category, session, order);
  }
  owned.events_owned += n_events;
}

}  // namespace

void exchange_events(const std::vector<Piece>& pieces, const IngestOptions& options,
                     OwnedUsers& owned) {
  Reader reader(pieces, options);
  EventBatch batch, received;
  Stopwatch watch;
  bool reading = true;
  for (;;) {
    reading = reading && reader.next(batch);
    std::vector<std::string> out =
        reading ? pack(reader, batch, size(), rank()) : std::vector<std::string>(size());
    if (reading) reader.done_with_batch();
    owned.read_ms += watch.lap();
    std::vector<std::string> in = exchange(out);
    for (const std::string& m : in) {
      if (m.empty()) continue;
      unpack(m, owned, received);
      owned.table.add(received);
    }
    owned.aggregate_ms += watch.lap();
    ++owned.rounds;
    kill_point("mid_exchange");
    if (sum(reading ? 1 : 0) == 0) break;
  }
  owned.table.ensure_users(owned.users.size());
  owned.counts = reader.counts();
}

}  // namespace segmint::dist
