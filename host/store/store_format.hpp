// Layout of the binary event store (.sgm), shared by its writer and reader. All integers are
// little-endian; every section is 8-byte aligned.
//
//   header   32 B   magic[8] "\x89SGM\r\n\x1a\n", u32 version, u32 header bytes (32),
//                   u32 max events per chunk, u32 column count (8), u64 checksum of bytes 0..24
//   chunk*   80 B   u32 "CHNK", u32 rows, u64 checksum of each column block [8],
//                   u64 checksum of bytes 0..72;
//            then the 8 column blocks, rows x width bytes each, zero-padded to 8 bytes:
//                   user u32 (store-local index), time i64, type u8, amount f64 (IEEE),
//                   item u64, category u64, session u64, order u64
//   dict            u32 "DICT", u32 0, u64 count, u32 length[count], pad, id bytes, pad
//                   (store-local user index i is the i-th id)
//   trailer 200 B   see Trailer; ends with the end magic, so a truncated file is detected by
//                   its last bytes before anything else is read.
// The magic starts with a non-ASCII byte and holds CR LF / ^Z so text-mode transfers show up.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the event store reads and writes its little-endian words directly: little-endian host only"
#endif

namespace segmint::store {

inline constexpr unsigned char kMagic[8] = {0x89, 'S', 'G', 'M', '\r', '\n', 0x1a, '\n'};
inline constexpr unsigned char kEndMagic[8] = {'S', 'G', 'M', 'E', 'N', 'D', '\r', '\n'};
inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::size_t kHeaderBytes = 32;
inline constexpr std::size_t kChunkHeaderBytes = 80;
inline constexpr std::size_t kTrailerBytes = 200;
inline constexpr std::uint32_t kChunkTag = 0x4B4E4843;  // "CHNK"
inline constexpr std::uint32_t kDictTag = 0x54434944;   // "DICT"
inline constexpr std::uint32_t kTrailerTag = 0x524C5254;  // "TRLR"
/// Events per chunk the writer uses (2.9 MiB of columns): small enough that a chunk read into
/// memory is still in cache when it is verified and copied out.
inline constexpr std::uint32_t kChunkRows = 1u << 16;
/// The largest chunk a reader accepts (45 MiB of columns): its memory bound.
inline constexpr std::uint32_t kMaxChunkRows = 1u << 20;

inline constexpr int kColumns = 8;
inline constexpr std::array<std::size_t, kColumns> kColumnWidth = {4, 8, 1, 8, 8, 8, 8, 8};
inline constexpr std::array<const char*, kColumns> kColumnName = {
    "user", "time", "type", "amount", "item", "category", "session", "order"};

inline constexpr std::size_t pad8(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

/// Byte offset of column `c` inside a chunk body of `rows` events.
inline std::size_t column_offset(std::size_t rows, int c) {
  std::size_t off = 0;
  for (int i = 0; i < c; ++i) off += pad8(rows * kColumnWidth[i]);
  return off;
}
inline std::size_t chunk_body_bytes(std::size_t rows) { return column_offset(rows, kColumns); }

/// The trailer: where the dictionary is, totals to cross-check, and the source's row counts
/// (so `info` on a converted file reports what the original input had).
struct Trailer {
  std::uint64_t dict_offset = 0, dict_bytes = 0, dict_checksum = 0;
  std::uint64_t chunk_count = 0, events = 0, users = 0;
  std::uint64_t source_rows = 0, bad_rows = 0, rows_without_user = 0;
  std::uint64_t orders = 0, cancelled_orders = 0;  ///< distinct order keys of the source rows
  std::int64_t min_time = 0, max_time = 0;
  std::array<std::uint64_t, 9> by_type{};
};

/// Little-endian field access into a byte buffer.
void put32(unsigned char* p, std::uint32_t v);
void put64(unsigned char* p, std::uint64_t v);
std::uint32_t get32(const unsigned char* p);
std::uint64_t get64(const unsigned char* p);

void encode_header(unsigned char (&out)[kHeaderBytes]);
void encode_trailer(const Trailer& t, unsigned char (&out)[kTrailerBytes]);
/// False when the tag, end magic or checksum do not match.
bool decode_trailer(const unsigned char (&in)[kTrailerBytes], Trailer& t);

}  // namespace segmint::store
