// UserSets: the one-block storage of a user's six sets (copy, move, rewrite).
#include "aggregate/user_sets.hpp"

#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

#include "segmint/error.hpp"

namespace segmint::agg {
namespace {

static_assert(std::is_trivially_copyable_v<OrderEntry> &&
                  std::is_trivially_copyable_v<SessionEntry> &&
                  std::is_trivially_copyable_v<Interval> &&
                  std::is_trivially_copyable_v<CategoryEntry>,
              "set entries are copied as bytes");
static_assert(sizeof(OrderEntry) % 8 == 0 && sizeof(SessionEntry) % 8 == 0 &&
                  sizeof(Interval) % 8 == 0 && sizeof(CategoryEntry) % 8 == 0,
              "every set before the last keeps the next one 8-byte aligned");

struct Raw {
  const void* data;
  std::size_t size;
};

template <class T>
Raw raw(Span<const T> s) {
  return {s.data(), s.size()};
}

unsigned char* allocate(std::size_t bytes) {
  if (bytes == 0) return nullptr;
  void* p = std::malloc(bytes);  // malloc's alignment (16) suits every entry type
  if (!p) throw std::bad_alloc();
  return static_cast<unsigned char*>(p);
}

}  // namespace

UserSets::UserSets(const UserSets& other) : block_(allocate(other.bytes())) {
  if (block_) std::memcpy(block_, other.block_, other.bytes());
  std::memcpy(count_, other.count_, sizeof(count_));
}

UserSets::UserSets(UserSets&& other) noexcept : block_(other.block_) {
  std::memcpy(count_, other.count_, sizeof(count_));
  other.block_ = nullptr;
  std::memset(other.count_, 0, sizeof(other.count_));
}

UserSets& UserSets::operator=(const UserSets& other) {
  if (this != &other) assign(other.view());
  return *this;
}

UserSets& UserSets::operator=(UserSets&& other) noexcept {
  if (this != &other) {
    std::free(block_);
    block_ = other.block_;
    std::memcpy(count_, other.count_, sizeof(count_));
    other.block_ = nullptr;
    std::memset(other.count_, 0, sizeof(other.count_));
  }
  return *this;
}

UserSets::~UserSets() { std::free(block_); }

std::size_t UserSets::bytes() const { return offset(kSets); }

void UserSets::clear() {
  std::free(block_);
  block_ = nullptr;
  std::memset(count_, 0, sizeof(count_));
}

void UserSets::assign(const SetsView& v) {
  const Raw src[kSets] = {raw(v.orders),     raw(v.sessions),   raw(v.gaps),
                          raw(v.categories), raw(v.open_carts), raw(v.days)};
  bool same_lengths = true;
  std::size_t total = 0;
  for (int i = 0; i < kSets; ++i) {
    if (src[i].size > UINT32_MAX) throw RuntimeError("a user's set exceeds 2^32 - 1 entries");
    same_lengths = same_lengths && src[i].size == count_[i];
    total += src[i].size * kEntryBytes[i];
  }
  if (same_lengths) {  // in place: a source is this set's own place or lies outside the block
    for (int i = 0; i < kSets; ++i) {
      unsigned char* dst = block_ + offset(i);
      if (src[i].size > 0 && src[i].data != dst) {
        std::memmove(dst, src[i].data, src[i].size * kEntryBytes[i]);
      }
    }
    return;
  }
  unsigned char* fresh = allocate(total);
  std::size_t at = 0;
  for (int i = 0; i < kSets; ++i) {
    const std::size_t n = src[i].size * kEntryBytes[i];
    if (n > 0) std::memcpy(fresh + at, src[i].data, n);
    at += n;
    count_[i] = static_cast<std::uint32_t>(src[i].size);
  }
  std::free(block_);
  block_ = fresh;
}

}  // namespace segmint::agg
