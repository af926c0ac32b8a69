// KeyMemo: a small direct-mapped cache id bytes -> key_of(id), for columns whose ids repeat.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "ingest/same_bytes.hpp"
#include "segmint/events.hpp"

namespace segmint::ingest {

/// key_of(id), remembered for recently seen ids. key_of is byte-serial FNV-1a (a stored format:
/// its values must not change), ~4 cycles per byte; a hit here costs a two-word hash and one
/// compare. A miss computes key_of and replaces the slot, so results never depend on hits.
/// Not thread-safe: one per thread.
class KeyMemo {
 public:
  static constexpr std::size_t kMaxBytes = 48;  ///< longer ids are never cached

  /// `slot_bits`: the cache holds 2^slot_bits ids (64 bytes each).
  explicit KeyMemo(unsigned slot_bits)
      : shift_(64 - slot_bits), slots_(new Slot[std::size_t(1) << slot_bits]()) {}

  /// key_of(id), exactly.
  std::uint64_t key(std::string_view id) {
    const std::size_t n = id.size();
    if (n == 0 || n > kMaxBytes) return key_of(id);
    Slot& s = slots_[index(id.data(), n)];
    if (s.len == n && same_bytes(s.bytes, id.data(), n)) return s.key;
    s.key = key_of(id);
    s.len = static_cast<std::uint32_t>(n);
    std::memcpy(s.bytes, id.data(), n);
    return s.key;
  }

 private:
  struct Slot {
    char bytes[kMaxBytes];
    std::uint64_t key;
    std::uint32_t len;  // 0: empty
  };

  // Mixes the first and last 8 bytes (all of a shorter id) and the length.
  std::size_t index(const char* p, std::size_t n) const noexcept {
    std::uint64_t a = 0, b = 0;
    if (n >= 8) {
      std::memcpy(&a, p, 8);
      std::memcpy(&b, p + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t x, y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      a = x, b = y;
    } else {
      for (std::size_t i = 0; i < n; ++i) a = a << 8 | static_cast<unsigned char>(p[i]);
    }
    const std::uint64_t h = (a * 0x9e3779b97f4a7c15ull) ^ ((b ^ n) * 0xc2b2ae3d27d4eb4full);
    return static_cast<std::size_t>((h ^ (h >> 29)) * 0xff51afd7ed558ccdull >> shift_);
  }

  unsigned shift_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace segmint::ingest
