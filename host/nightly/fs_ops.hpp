// Crash-safe directory operations for the nightly state: atomic directory replacement and
// content fingerprints (fsync, the symlink switch and kill points are in common/fs_atomic.hpp).
#pragma once
#include <cstdint>
#include <string>

#include "common/fs_atomic.hpp"

namespace segmint::nightly {

/// Makes the complete directory `staged` appear at `target` in one step. When `target` exists
/// the two are exchanged atomically (renameat2 RENAME_EXCHANGE) and the old content, now at
/// `staged`, is removed; where exchange is unsupported, the old one is first renamed aside to
/// `.<name>.old.<pid>` (restored by recover_aside() if a kill hits between the two renames).
void replace_dir(const std::string& staged, const std::string& target);

/// Puts back a `.<name>.old.<pid>` directory when its `<name>` is missing (a kill between the
/// fallback's two renames); removes it otherwise. Returns how many entries it handled.
int recover_aside(const std::string& parent);

/// 64-bit content hash (FNV-1a) of a byte range, continuing from `seed`.
std::uint64_t hash_bytes(const void* data, std::size_t size,
                         std::uint64_t seed = 14695981039346656037ull);
/// Hash of a file's whole content and its size; RuntimeError when unreadable.
struct FileFingerprint {
  std::uint64_t size = 0;
  std::uint64_t hash = 0;
  std::string text() const;  ///< "<size>:<16 hex digits>"
};
FileFingerprint fingerprint_file(const std::string& path);

}  // namespace segmint::nightly
