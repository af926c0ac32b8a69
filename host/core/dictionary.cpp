// UserDictionary: user id strings -> dense indices, open addressing with linear probing.
#include "segmint/dictionary.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "segmint/error.hpp"

namespace segmint {
namespace {

// A different mix from key_of (which is a stored format): this one only has to be fast and
// spread well over a power-of-two table. FNV-1a over 8-byte words, then a murmur finaliser.
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
  std::uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h = (h ^ tail) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace

inline std::uint64_t tag_of(std::uint64_t h) noexcept { return h & 0xffffffff00000000ull; }

std::uint64_t UserDictionary::hash(std::string_view id) noexcept { return hash_bytes(id); }

std::uint32_t UserDictionary::intern(std::string_view id) { return intern(id, hash_bytes(id)); }

std::uint32_t UserDictionary::intern(std::string_view id, std::uint64_t h) {
  // Keep the load factor <= 1/2 so probes stay short.
  if ((ids_.size() + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t tag = tag_of(h);
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::uint64_t s = slots_[i];
    if (s == 0) {
      if (ids_.size() >= 0xffffffffull) throw InputError("more than 2^32-1 distinct user ids");
      ids_.emplace_back(id);
      hashes_.push_back(h);
      slots_[i] = tag | ids_.size();
      return static_cast<std::uint32_t>(ids_.size() - 1);
    }
    const auto index = static_cast<std::uint32_t>(s) - 1;
    if ((s & 0xffffffff00000000ull) == tag && ids_[index] == id) return index;
  }
}

std::int64_t UserDictionary::find(std::string_view id) const {
  if (slots_.empty()) return -1;
  const std::uint64_t h = hash_bytes(id);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::uint64_t s = slots_[i];
    if (s == 0) return -1;
    const auto index = static_cast<std::uint32_t>(s) - 1;
    if (hashes_[index] == h && ids_[index] == id) return index;
  }
}

std::vector<std::uint32_t> UserDictionary::sorted_order() const {
  std::vector<std::uint32_t> order(ids_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [this](std::uint32_t a, std::uint32_t b) { return ids_[a] < ids_[b]; });
  return order;
}

void UserDictionary::grow() {
  std::size_t cap = slots_.empty() ? 1024 : slots_.size() * 2;
  std::vector<std::uint64_t> slots(cap, 0);
  const std::size_t mask = cap - 1;
  for (std::size_t k = 0; k < ids_.size(); ++k) {
    std::size_t i = hashes_[k] & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = tag_of(hashes_[k]) | (k + 1);
  }
  slots_.swap(slots);
}

}  // namespace segmint
