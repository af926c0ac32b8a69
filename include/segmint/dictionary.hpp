// Dictionary encoding of user id strings to dense indices.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace segmint {

/// Maps user id strings to dense u32 indices in order of first appearance. Ids are kept as the
/// exact strings the input had (a 64-bit numeric id is never converted through a float).
class UserDictionary {
 public:
  /// Index of `id`, inserting it when new.
  std::uint32_t intern(std::string_view id);
  /// Index of `id` or -1 when absent.
  std::int64_t find(std::string_view id) const;
  /// The hash intern() uses, for callers that compute it ahead (in parallel) and then call
  /// intern(id, hash) and prefetch(hash) in order.
  static std::uint64_t hash(std::string_view id) noexcept;
  /// intern(id) with hash == hash(id) given.
  std::uint32_t intern(std::string_view id, std::uint64_t hash);
  /// Hints the cache with the table slot of `hash` (a later intern of it then misses less).
  void prefetch(std::uint64_t hash) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  const std::string& id(std::uint32_t index) const { return ids_[index]; }
  std::size_t size() const noexcept { return ids_.size(); }
  const std::vector<std::string>& ids() const noexcept { return ids_; }
  /// Indices sorted by id string (bytewise): the output order of every per-user file.
  std::vector<std::uint32_t> sorted_order() const;

 private:
  /// Index + 1 takes the low 31 bits of a slot (bit 31 flags a numeric id).
  static constexpr std::size_t kMaxIds = 0x7fffffff;
  static std::uint32_t index_of(std::uint64_t slot) noexcept {
    return static_cast<std::uint32_t>(slot & (kMaxIds)) - 1;
  }
  /// Whether table slot `slot` is `id`, whose slot key (dictionary.cpp, slot_key) is `key`.
  bool holds(std::uint64_t slot, std::uint64_t key, std::string_view id) const;
  void grow();
  std::vector<std::string> ids_;
  std::vector<std::uint64_t> hashes_;  ///< hash of each id, parallel to ids_ (for grow)
  /// Open addressing, linear probing: low 31 bits index+1 (0 = empty); bit 31 set for an id of
  /// at most 10 digits below 2^32, whose value is then the high 32 bits (a match needs no look
  /// at ids_); else the high 32 bits are the hash's high half (most mismatches are rejected
  /// without touching ids_). dictionary.cpp, slot_key.
  std::vector<std::uint64_t> slots_;
};

/// Indices of `ids` sorted by string (bytewise, unsigned; equal strings in index order).
std::vector<std::uint32_t> sorted_order(const std::vector<std::string>& ids);

}  // namespace segmint
