// The event store's block checksum: a 64-bit, 4-lane multiply-rotate hash (xxHash64-style
// construction, written here) that runs near memory speed, so verifying costs little on reread.
#pragma once
#include <cstddef>
#include <cstdint>

namespace segmint::store {

/// 64-bit checksum of `size` bytes. Stable across machines (reads little-endian words).
std::uint64_t checksum64(const void* data, std::size_t size, std::uint64_t seed = 0) noexcept;

}  // namespace segmint::store
