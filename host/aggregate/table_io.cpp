// UserTable persistence: a versioned, checksummed little-endian binary image for nightly state.
//
// Layout: "SGMNTUT\0" | u32 version | i64 session_gap | i32 tz_offset | u64 users |
//         per user: fixed fields, then each set as u64 length + entries |
//         u64 FNV-1a checksum of every byte before it.
#include <cstring>
#include <istream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "aggregate/user_agg.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {

constexpr char kMagic[8] = {'S', 'G', 'M', 'N', 'T', 'U', 'T', '\0'};
constexpr std::uint32_t kVersion = 1;

std::uint64_t fnv1a(const char* p, std::size_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 1099511628211ull;
  }
  return h;
}

struct Writer {
  std::string buf;
  template <class T>
  void put(T v) {  // the supported hosts are little-endian, like the format
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    buf.append(b, sizeof(T));
  }
};

struct Reader {
  const std::string& buf;
  std::size_t pos, end;
  const std::string& name;
  template <class T>
  T get() {
    if (end - pos < sizeof(T)) throw InputError(name, 0, "user table is truncated");
    T v;
    std::memcpy(&v, buf.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
  std::size_t length(std::size_t min_entry_bytes) {
    auto n = get<std::uint64_t>();
    if (n > (end - pos) / min_entry_bytes) throw InputError(name, 0, "user table is corrupt");
    return static_cast<std::size_t>(n);
  }
};

void write_user(Writer& w, const agg::UserAgg& u) {
  for (auto c : u.by_type) w.put(c);
  w.put(u.activity);
  w.put(u.weekend);
  for (auto c : u.day_part) w.put(c);
  w.put(u.money_purchase_micro);
  w.put(u.money_cancel_micro);
  w.put(u.first_event);
  w.put(u.last_event);
  w.put(u.last_purchase);
  w.put(u.loose_purchases);
  w.put(u.loose_first);
  w.put(u.loose_last);
  w.put<std::uint64_t>(u.orders().size());
  for (const auto& o : u.orders()) {
    w.put(o.key);
    w.put(o.first_purchase);
    w.put(o.flags);
  }
  w.put<std::uint64_t>(u.days().size());
  for (auto d : u.days()) w.put(d);
  w.put<std::uint64_t>(u.sessions().size());
  for (const auto& s : u.sessions()) {
    w.put(s.key);
    w.put(s.start);
    w.put(s.end);
    w.put(s.events);
    w.put(s.first_purchase);
  }
  w.put<std::uint64_t>(u.gaps().size());
  for (const auto& g : u.gaps()) {
    w.put(g.start);
    w.put(g.end);
    w.put(g.events);
  }
  w.put<std::uint64_t>(u.categories().size());
  for (const auto& c : u.categories()) {
    w.put(c.key);
    w.put(c.count);
  }
  w.put<std::uint64_t>(u.open_carts().size());
  for (auto t : u.open_carts()) w.put(t);
}

void read_user(Reader& r, agg::UserAgg& u) {
  for (auto& c : u.by_type) c = r.get<std::uint64_t>();
  u.activity = r.get<std::uint64_t>();
  u.weekend = r.get<std::uint64_t>();
  for (auto& c : u.day_part) c = r.get<std::uint64_t>();
  u.money_purchase_micro = r.get<std::int64_t>();
  u.money_cancel_micro = r.get<std::int64_t>();
  u.first_event = r.get<std::int64_t>();
  u.last_event = r.get<std::int64_t>();
  u.last_purchase = r.get<std::int64_t>();
  u.loose_purchases = r.get<std::uint64_t>();
  u.loose_first = r.get<std::int64_t>();
  u.loose_last = r.get<std::int64_t>();
  // Each set into this thread's buffers, then into the user's one block.
  thread_local agg::SetVectors sets;
  sets.orders.resize(r.length(17));
  for (auto& o : sets.orders) {
    o.key = r.get<std::uint64_t>();
    o.first_purchase = r.get<std::int64_t>();
    o.flags = r.get<std::uint8_t>();
  }
  sets.days.resize(r.length(4));
  for (auto& d : sets.days) d = r.get<std::int32_t>();
  sets.sessions.resize(r.length(40));
  for (auto& s : sets.sessions) {
    s.key = r.get<std::uint64_t>();
    s.start = r.get<std::int64_t>();
    s.end = r.get<std::int64_t>();
    s.events = r.get<std::uint64_t>();
    s.first_purchase = r.get<std::int64_t>();
  }
  sets.gaps.resize(r.length(24));
  for (auto& g : sets.gaps) {
    g.start = r.get<std::int64_t>();
    g.end = r.get<std::int64_t>();
    g.events = r.get<std::uint64_t>();
  }
  sets.categories.resize(r.length(16));
  for (auto& c : sets.categories) {
    c.key = r.get<std::uint64_t>();
    c.count = r.get<std::uint64_t>();
  }
  sets.open_carts.resize(r.length(8));
  for (auto& t : sets.open_carts) t = r.get<std::int64_t>();
  u.sets.assign(sets.view());
}

}  // namespace

void UserTable::save(std::ostream& out) const {
  if (impl_->users.released() > 0) {
    throw RuntimeError("UserTable::save: the table's users were released");
  }
  Writer w;
  w.buf.append(kMagic, sizeof(kMagic));
  w.put(kVersion);
  w.put<std::int64_t>(impl_->options.session_gap_seconds);
  w.put<std::int32_t>(impl_->options.tz_offset_minutes);
  w.put<std::uint64_t>(impl_->users.size());
  for (std::size_t i = 0; i < impl_->users.size(); ++i) write_user(w, impl_->users[i]);
  w.put(fnv1a(w.buf.data(), w.buf.size()));
  out.write(w.buf.data(), static_cast<std::streamsize>(w.buf.size()));
  if (!out) throw RuntimeError("cannot write the user table");
}

UserTable UserTable::load(std::istream& in, const std::string& name) {
  std::string buf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::size_t kHeader = sizeof(kMagic) + 4 + 8 + 4 + 8;
  if (buf.size() < kHeader + 8 || std::memcmp(buf.data(), kMagic, sizeof(kMagic)) != 0) {
    throw InputError(
        name, 0,
        buf.size() < kHeader + 8 && buf.size() > 0 &&
                std::memcmp(buf.data(), kMagic, std::min(buf.size(), sizeof(kMagic))) == 0
            ? "user table is truncated"
            : "not a segmint user table");
  }
  const std::size_t body = buf.size() - 8;
  Reader r{buf, sizeof(kMagic), body, name};
  const auto version = r.get<std::uint32_t>();
  if (version != kVersion) {
    throw InputError(name, 0,
                     "user table version " + std::to_string(version) +
                         " is not supported (expected " + std::to_string(kVersion) + ")");
  }
  std::uint64_t stored;
  std::memcpy(&stored, buf.data() + body, 8);
  if (stored != fnv1a(buf.data(), body)) {
    throw InputError(name, 0, "user table checksum mismatch (truncated or corrupt)");
  }
  AggregateOptions options;
  options.session_gap_seconds = r.get<std::int64_t>();
  options.tz_offset_minutes = r.get<std::int32_t>();
  if (options.session_gap_seconds <= 0 || options.session_gap_seconds > kMaxSessionGapSeconds ||
      options.tz_offset_minutes < -kMaxTzOffsetMinutes ||
      options.tz_offset_minutes > kMaxTzOffsetMinutes) {
    throw InputError(name, 0,
                     "user table is corrupt: session gap or time-zone offset out of range");
  }
  UserTable table(options);
  // Each user takes at least its fixed fields plus six set lengths: bounds the allocation.
  table.impl_->users.resize(r.length(8 * (kEventTypeCount + 2 + 4 + 8 + 6)));
  for (std::size_t i = 0; i < table.impl_->users.size(); ++i) {
    agg::UserAgg& u = table.impl_->users[i];
    read_user(r, u);
    if (const char* what = agg::check_user(u, options.session_gap_seconds)) {
      throw InputError(name, 0, "user table is corrupt: user " + std::to_string(i) + ": " + what);
    }
    table.impl_->set_bytes += agg::heap_bytes(u);
  }
  if (r.pos != body) throw InputError(name, 0, "user table has trailing bytes");
  return table;
}

}  // namespace segmint
