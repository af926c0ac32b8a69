// UserDictionary: user id strings -> dense indices, open addressing with linear probing.
#include "segmint/dictionary.hpp"

#include <algorithm>
#include <cstring>
#include <cstdint>
#include <string>

#include "segmint/error.hpp"

namespace segmint {
namespace {

// The last n (< 8) bytes of s, at p, as a little-endian word with zeros above: what a memcpy
// into a zeroed word gives, without going through memory. (GCC made that memcpy a byte loop
// into the stack, and the word's load then stalled on store forwarding: half of this
// function's samples on a time-ordered CSV, 2026-12-04.)
std::uint64_t tail_word(const char* p, std::size_t n, std::size_t size) noexcept {
  if (n == 0) return 0;
  if (size >= 8) {  // the 8 bytes ending at the tail's end are all s's
    std::uint64_t w;
    std::memcpy(&w, p + n - 8, 8);
    return w >> (8 * (8 - n));
  }
  if (n >= 4) {  // two overlapping 4-byte words: the shared bytes are equal
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return lo | static_cast<std::uint64_t>(hi) << (8 * (n - 4));
  }
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < n; ++i) w |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return w;
}

// A different mix from key_of (which is a stored format): this one only has to be fast and
// spread well over a power-of-two table. FNV-1a over 8-byte words, then a murmur finaliser.
// Its values decide the users' MPI owners and nightly shards: they must not change
// (tests/unit/ingest_dictionary_test.cpp compares them with the plain formula).
std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  h = (h ^ tail_word(p, n, s.size())) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// What a slot holds besides the index: for an id of 1-10 decimal digits without a leading zero
// and below 2^32 (REES46, Taobao and retail exports), the number itself and a flag, so that a
// probe that finds it never reads ids_: on time-ordered input every row probes, and reading the
// candidate's string was a second cache miss, ~3/4 of intern's time. Other ids: the hash's high
// half, confirmed against ids_. A numeric id never equals a non-numeric one, so the flag is part
// of the match; the slot's position is the hash's either way.
constexpr std::uint64_t kNumeric = 0x80000000ull;  // in the low half, above index + 1
constexpr std::uint64_t kMatchBits = 0xffffffff00000000ull | kNumeric;

std::uint64_t slot_key(std::string_view id, std::uint64_t h) noexcept {
  const std::size_t n = id.size();
  if (n >= 1 && n <= 10 && (id[0] != '0' || n == 1)) {
    std::uint64_t v = 0;
    std::size_t i = 0;
    for (; i < n && id[i] >= '0' && id[i] <= '9'; ++i) {
      v = v * 10 + static_cast<unsigned>(id[i] - '0');
    }
    if (i == n && v <= 0xffffffffull) return v << 32 | kNumeric;
  }
  return h & 0xffffffff00000000ull;
}

}  // namespace

std::uint64_t UserDictionary::hash(std::string_view id) noexcept { return hash_bytes(id); }

bool UserDictionary::holds(std::uint64_t slot, std::uint64_t key, std::string_view id) const {
  return (slot & kMatchBits) == key && ((key & kNumeric) || ids_[index_of(slot)] == id);
}

std::uint32_t UserDictionary::intern(std::string_view id) { return intern(id, hash_bytes(id)); }

std::uint32_t UserDictionary::intern(std::string_view id, std::uint64_t h) {
  // Keep the load factor <= 1/2 so probes stay short.
  if ((ids_.size() + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t key = slot_key(id, h);
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::uint64_t s = slots_[i];
    if (s == 0) {
      if (ids_.size() >= kMaxIds) {
        throw InputError("more than " + std::to_string(kMaxIds) + " distinct user ids");
      }
      ids_.emplace_back(id);
      hashes_.push_back(h);
      slots_[i] = key | ids_.size();
      return static_cast<std::uint32_t>(ids_.size() - 1);
    }
    if (holds(s, key, id)) return index_of(s);
  }
}

std::int64_t UserDictionary::find(std::string_view id) const {
  if (slots_.empty()) return -1;
  const std::uint64_t h = hash_bytes(id);
  const std::uint64_t key = slot_key(id, h);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::uint64_t s = slots_[i];
    if (s == 0) return -1;
    if (holds(s, key, id)) return index_of(s);
  }
}

std::vector<std::uint32_t> UserDictionary::sorted_order() const { return segmint::sorted_order(ids_); }

namespace {

// Bytes [at, at + 8) of s as a big-endian word, zeros past its end.
std::uint64_t prefix_word(const std::string& s, std::size_t at) {
  std::uint64_t w = 0;
  for (std::size_t i = at; i < at + 8; ++i)
    w = w << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return w;
}

// A string's first 16 bytes as two words: where two keys differ they order their strings as
// std::string's < does (bytes unsigned, a proper prefix first; a zero past the end is never
// above the other string's byte there), so only equal keys compare the strings.
struct SortKey {
  std::uint64_t hi, lo;
  std::uint32_t index;
};

}  // namespace

std::vector<std::uint32_t> sorted_order(const std::vector<std::string>& ids) {
  if (ids.size() > UINT32_MAX) throw RuntimeError("sorted_order: more than 2^32 ids");
  std::vector<SortKey> keys(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    keys[i] = {prefix_word(ids[i], 0), prefix_word(ids[i], 8), static_cast<std::uint32_t>(i)};
  // Integer keys first: comparing the strings themselves (a memcmp call each) took 37 ms for
  // 200k shuffled ids (bench/dictionary_bench, BM_SortedOrder).
  std::sort(keys.begin(), keys.end(), [&ids](const SortKey& a, const SortKey& b) {
    if (a.hi != b.hi) return a.hi < b.hi;
    if (a.lo != b.lo) return a.lo < b.lo;
    const int c = ids[a.index].compare(ids[b.index]);
    return c != 0 ? c < 0 : a.index < b.index;  // equal ids keep their order
  });
  std::vector<std::uint32_t> order(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].index;
  return order;
}

void UserDictionary::grow() {
  std::size_t cap = slots_.empty() ? 1024 : slots_.size() * 2;
  std::vector<std::uint64_t> slots(cap, 0);
  const std::size_t mask = cap - 1;
  for (std::size_t k = 0; k < ids_.size(); ++k) {
    std::size_t i = hashes_[k] & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = slot_key(ids_[k], hashes_[k]) | (k + 1);
  }
  slots_.swap(slots);
}

}  // namespace segmint
