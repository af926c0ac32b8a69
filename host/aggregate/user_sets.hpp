// UserSets: one user's six sorted sets in one exactly sized heap block (a pointer and six counts).
//
// Six std::vectors cost 144 bytes of headers per user plus one allocation per non-empty set
// (each with its malloc header and rounding); this costs 32 bytes and one allocation (issue 15).
// The sets are rewritten whole when one changes length (they change once per folded batch);
// callers read them as spans.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace segmint::agg {

inline constexpr std::uint8_t kOrderHasPurchase = 1;
inline constexpr std::uint8_t kOrderCancelled = 2;

struct OrderEntry {
  std::uint64_t key;
  std::int64_t first_purchase;  ///< detail::kNoTime when the order has only cancellations
  std::uint8_t flags;
};

struct SessionEntry {
  std::uint64_t key;
  std::int64_t start, end;
  std::uint64_t events;
  std::int64_t first_purchase;  ///< first purchase without an order key; kNoTime when none
};

struct Interval {
  std::int64_t start, end;
  std::uint64_t events;
};

struct CategoryEntry {
  std::uint64_t key;
  std::uint64_t count;
};

/// A read-only (T = const X) or writable view of n contiguous entries.
template <class T>
class Span {
 public:
  Span() = default;
  Span(T* data, std::size_t size) : data_(data), size_(size) {}
  template <class A>
  Span(const std::vector<A>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT: implicit
  T* begin() const { return data_; }
  T* end() const { return data_ + size_; }
  T* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// The six sets' contents, for UserSets::assign (spans may point into the block being replaced).
struct SetsView {
  Span<const OrderEntry> orders;
  Span<const SessionEntry> sessions;
  Span<const Interval> gaps;
  Span<const CategoryEntry> categories;
  Span<const std::int64_t> open_carts;
  Span<const std::int32_t> days;
};

/// The six sets as vectors (a saved table being read, tests), viewable as a SetsView.
struct SetVectors {
  std::vector<OrderEntry> orders;
  std::vector<SessionEntry> sessions;
  std::vector<Interval> gaps;
  std::vector<CategoryEntry> categories;
  std::vector<std::int64_t> open_carts;
  std::vector<std::int32_t> days;
  SetsView view() const { return {orders, sessions, gaps, categories, open_carts, days}; }
};

/// Layout of the block: orders | sessions | gaps | categories | open_carts | days, each at exactly
/// its length (every entry type but the last is 8-byte aligned and a multiple of 8 bytes long).
class UserSets {
 public:
  static constexpr int kSets = 6;

  UserSets() = default;
  UserSets(const UserSets& other);
  UserSets(UserSets&& other) noexcept;
  UserSets& operator=(const UserSets& other);
  UserSets& operator=(UserSets&& other) noexcept;
  ~UserSets();

  Span<const OrderEntry> orders() const { return {at<OrderEntry>(0), count_[0]}; }
  Span<const SessionEntry> sessions() const { return {at<SessionEntry>(1), count_[1]}; }
  Span<const Interval> gaps() const { return {at<Interval>(2), count_[2]}; }
  Span<const CategoryEntry> categories() const { return {at<CategoryEntry>(3), count_[3]}; }
  Span<const std::int64_t> open_carts() const { return {at<std::int64_t>(4), count_[4]}; }
  Span<const std::int32_t> days() const { return {at<std::int32_t>(5), count_[5]}; }
  SetsView view() const {
    return {orders(), sessions(), gaps(), categories(), open_carts(), days()};
  }

  /// Heap bytes of the block: exactly the entries (no capacity beyond them).
  std::size_t bytes() const;
  /// Makes the sets equal to `v` (whose spans may point into this block): in place when no length
  /// changes, else into one new block of exactly the new size. Throws RuntimeError when a set
  /// would exceed 2^32 - 1 entries.
  void assign(const SetsView& v);
  /// Frees the block (all sets empty).
  void clear();
  /// Hints the cache with the block's first lines (a fold reads all of it, then rewrites it).
  void prefetch() const {
    if (!block_) return;
    const std::size_t n = bytes();
    for (std::size_t at = 0; at < n && at < kPrefetchBytes; at += 64) {
      __builtin_prefetch(block_ + at);
    }
  }

 private:
  static constexpr std::size_t kPrefetchBytes = 256;
  static constexpr std::size_t kEntryBytes[kSets] = {sizeof(OrderEntry),   sizeof(SessionEntry),
                                                     sizeof(Interval),     sizeof(CategoryEntry),
                                                     sizeof(std::int64_t), sizeof(std::int32_t)};
  std::size_t offset(int set) const {
    std::size_t o = 0;
    for (int i = 0; i < set; ++i) o += count_[i] * kEntryBytes[i];
    return o;
  }
  template <class T>
  const T* at(int set) const {
    return reinterpret_cast<const T*>(block_ + offset(set));
  }

  unsigned char* block_ = nullptr;
  std::uint32_t count_[kSets] = {};
};

}  // namespace segmint::agg
