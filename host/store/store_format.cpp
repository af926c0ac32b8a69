// Encoding of the event store's fixed-size header and trailer (layout in store_format.hpp).
#include "store/store_format.hpp"

#include <cstring>

#include "segmint/events.hpp"
#include "store/checksum.hpp"

namespace segmint::store {

static_assert(kEventTypeCount == 9, "Trailer::by_type holds one count per EventType");

void put32(unsigned char* p, std::uint32_t v) { std::memcpy(p, &v, 4); }
void put64(unsigned char* p, std::uint64_t v) { std::memcpy(p, &v, 8); }
std::uint32_t get32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint64_t get64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

void encode_header(unsigned char (&out)[kHeaderBytes]) {
  std::memcpy(out, kMagic, 8);
  put32(out + 8, kVersion);
  put32(out + 12, static_cast<std::uint32_t>(kHeaderBytes));
  put32(out + 16, kChunkRows);
  put32(out + 20, kColumns);
  put64(out + 24, checksum64(out, 24));
}

namespace {
constexpr std::size_t kTrailerSummed = kTrailerBytes - 16;  // bytes covered by the checksum
static_assert(8 + 13 * 8 + 9 * 8 == kTrailerSummed, "trailer fields must fill the summed part");
}

void encode_trailer(const Trailer& t, unsigned char (&out)[kTrailerBytes]) {
  std::memset(out, 0, kTrailerBytes);
  put32(out, kTrailerTag);
  put32(out + 4, kVersion);
  const std::uint64_t fields[] = {t.dict_offset, t.dict_bytes,  t.dict_checksum,
                                  t.chunk_count, t.events,      t.users,
                                  t.source_rows, t.bad_rows,    t.rows_without_user,
                                  t.orders,      t.cancelled_orders,
                                  static_cast<std::uint64_t>(t.min_time),
                                  static_cast<std::uint64_t>(t.max_time)};
  unsigned char* p = out + 8;
  for (std::uint64_t f : fields) put64(p, f), p += 8;
  for (std::uint64_t c : t.by_type) put64(p, c), p += 8;
  put64(out + kTrailerSummed, checksum64(out, kTrailerSummed));
  std::memcpy(out + kTrailerSummed + 8, kEndMagic, 8);
}

bool decode_trailer(const unsigned char (&in)[kTrailerBytes], Trailer& t) {
  if (std::memcmp(in + kTrailerSummed + 8, kEndMagic, 8) != 0) return false;
  if (get32(in) != kTrailerTag) return false;
  if (get64(in + kTrailerSummed) != checksum64(in, kTrailerSummed)) return false;
  const unsigned char* p = in + 8;
  std::uint64_t* fields[] = {&t.dict_offset, &t.dict_bytes,  &t.dict_checksum,
                             &t.chunk_count, &t.events,      &t.users,
                             &t.source_rows, &t.bad_rows,    &t.rows_without_user,
                             &t.orders,      &t.cancelled_orders};
  for (std::uint64_t* f : fields) *f = get64(p), p += 8;
  t.min_time = static_cast<std::int64_t>(get64(p));
  t.max_time = static_cast<std::int64_t>(get64(p + 8));
  p += 16;
  for (auto& c : t.by_type) c = get64(p), p += 8;
  return true;
}

}  // namespace segmint::store
