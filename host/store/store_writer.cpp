// write_event_store: streams an EventSource into the columnar store, one chunk per (part of a)
// batch, with store-local user indices in order of first appearance and the ids at the end.
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "common/atomic_file.hpp"
#include "segmint/error.hpp"
#include "segmint/event_store.hpp"
#include "store/checksum.hpp"
#include "store/store_format.hpp"

namespace segmint {
namespace {

using store::kColumns;

/// Writes one chunk of rows [begin, begin + rows) of `b`; `local` holds the store-local users.
class ChunkWriter {
 public:
  explicit ChunkWriter(AtomicFile& out) : out_(out) {}

  void write(const EventBatch& b, std::size_t begin, std::size_t rows,
             const std::vector<std::uint32_t>& local) {
    const void* cols[kColumns] = {local.data(),          b.time.data() + begin,
                                  b.type.data() + begin, b.amount.data() + begin,
                                  b.item.data() + begin, b.category.data() + begin,
                                  b.session.data() + begin, b.order.data() + begin};
    unsigned char head[store::kChunkHeaderBytes];
    store::put32(head, store::kChunkTag);
    store::put32(head + 4, static_cast<std::uint32_t>(rows));
    for (int c = 0; c < kColumns; ++c) {
      store::put64(head + 8 + 8 * c, store::checksum64(cols[c], rows * store::kColumnWidth[c]));
    }
    store::put64(head + 72, store::checksum64(head, 72));
    out_.write(head, sizeof head);
    static const unsigned char zeros[8] = {};
    for (int c = 0; c < kColumns; ++c) {
      std::size_t n = rows * store::kColumnWidth[c];
      out_.write(cols[c], n);
      out_.write(zeros, store::pad8(n) - n);
      written_ += store::pad8(n);
    }
    written_ += sizeof head;
  }
  std::uint64_t written() const { return written_; }

 private:
  AtomicFile& out_;
  std::uint64_t written_ = 0;
};

/// The dictionary section: count, lengths, then the id bytes, each part padded to 8.
std::vector<unsigned char> encode_dictionary(const UserDictionary& users,
                                             const std::vector<std::uint32_t>& caller_of) {
  std::size_t n = caller_of.size(), id_bytes = 0;
  for (std::uint32_t u : caller_of) id_bytes += users.id(u).size();
  std::vector<unsigned char> out(16 + store::pad8(4 * n) + store::pad8(id_bytes), 0);
  store::put32(out.data(), store::kDictTag);
  store::put64(out.data() + 8, n);
  unsigned char* len = out.data() + 16;
  unsigned char* text = len + store::pad8(4 * n);
  for (std::uint32_t u : caller_of) {
    const std::string& id = users.id(u);
    if (id.size() > std::numeric_limits<std::uint32_t>::max()) {
      throw RuntimeError("user id longer than 4 GiB cannot be stored");
    }
    store::put32(len, static_cast<std::uint32_t>(id.size()));
    len += 4;
    std::memcpy(text, id.data(), id.size());
    text += id.size();
  }
  return out;
}

}  // namespace

std::uint64_t write_event_store(EventSource& source, const UserDictionary& users,
                                const std::string& path) {
  AtomicFile out(path);
  unsigned char header[store::kHeaderBytes];
  store::encode_header(header);
  out.write(header, sizeof header);

  store::Trailer t;
  ChunkWriter chunks(out);
  std::vector<std::uint32_t> local_of;   // caller index -> store-local index + 1 (0: not yet)
  std::vector<std::uint32_t> caller_of;  // store-local index -> caller index
  std::vector<std::uint32_t> local;      // one chunk's user column, store-local
  EventBatch batch;
  bool any = false;
  while (source.next(batch)) {
    for (std::size_t begin = 0; begin < batch.size(); begin += store::kChunkRows) {
      std::size_t rows = std::min<std::size_t>(store::kChunkRows, batch.size() - begin);
      local.resize(rows);
      for (std::size_t i = 0; i < rows; ++i) {
        std::uint32_t u = batch.user[begin + i];
        if (u >= users.size()) {
          throw RuntimeError("write_event_store: user index " + std::to_string(u) +
                             " is not in the dictionary");
        }
        if (u >= local_of.size()) local_of.resize(std::max<std::size_t>(u + 1, 2 * local_of.size()), 0);
        if (!local_of[u]) {
          caller_of.push_back(u);
          local_of[u] = static_cast<std::uint32_t>(caller_of.size());
        }
        local[i] = local_of[u] - 1;
        std::int64_t time = batch.time[begin + i];
        if (!any || time < t.min_time) t.min_time = time;
        if (!any || time > t.max_time) t.max_time = time;
        any = true;
        auto type = static_cast<unsigned>(batch.type[begin + i]);
        if (type >= static_cast<unsigned>(kEventTypeCount)) {
          throw RuntimeError("write_event_store: invalid event type " + std::to_string(type));
        }
        ++t.by_type[type];
      }
      chunks.write(batch, begin, rows, local);
      ++t.chunk_count;
      t.events += rows;
    }
  }
  const IngestCounts& counts = source.counts();
  t.source_rows = counts.rows;
  t.bad_rows = counts.bad_rows;
  t.rows_without_user = counts.rows_without_user;
  t.orders = counts.orders;  // non-zero when the source counted them (IngestOptions::count_orders)
  t.cancelled_orders = counts.cancelled_orders;
  t.users = caller_of.size();

  std::vector<unsigned char> dict = encode_dictionary(users, caller_of);
  t.dict_offset = store::kHeaderBytes + chunks.written();
  t.dict_bytes = dict.size();
  t.dict_checksum = store::checksum64(dict.data(), dict.size());
  out.write(dict.data(), dict.size());
  unsigned char trailer[store::kTrailerBytes];
  store::encode_trailer(t, trailer);
  out.write(trailer, sizeof trailer);
  out.commit();
  return t.events;
}

}  // namespace segmint
