// Crash-safe directory operations for the nightly state: fsync, atomic directory replacement,
// atomic symlink switch, content fingerprints, and the test hook that kills at named points.
#pragma once
#include <cstdint>
#include <string>

namespace segmint::nightly {

/// fsyncs a directory so renames inside it survive a power cut. Errors are ignored (some file
/// systems refuse fsync on directories; the rename itself is still atomic).
void fsync_dir(const std::string& dir);

/// Makes the complete directory `staged` appear at `target` in one step. When `target` exists
/// the two are exchanged atomically (renameat2 RENAME_EXCHANGE) and the old content, now at
/// `staged`, is removed; where exchange is unsupported, the old one is first renamed aside to
/// `.<name>.old.<pid>` (restored by recover_aside() if a kill hits between the two renames).
void replace_dir(const std::string& staged, const std::string& target);

/// Puts back a `.<name>.old.<pid>` directory when its `<name>` is missing (a kill between the
/// fallback's two renames); removes it otherwise. Returns how many entries it handled.
int recover_aside(const std::string& parent);

/// Points the symlink `link` at `target` (relative text) atomically: a temp symlink renamed over.
void switch_symlink(const std::string& target, const std::string& link);

/// Text of a symlink, or "" when `link` is absent or not a symlink.
std::string read_symlink(const std::string& link);

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

/// When $SEGMINT_TEST_KILL_POINT equals `name`, the process kills itself with SIGKILL (tests of
/// crash safety). A no-op otherwise.
void kill_point(const char* name);

}  // namespace segmint::nightly
