// The crash-safety primitives every commit is built from: rename, fsync of a directory, an
// atomic symlink switch, and the test hook that kills the process at a named point.
#pragma once
#include <string>

namespace segmint {

/// The directory part of `path`, "." when it has none.
std::string parent_dir(const std::string& path);

/// rename(2) `from` over `to`; RuntimeError "cannot rename A to B: reason" on failure.
void rename_or_throw(const std::string& from, const std::string& to);

/// fsyncs a directory so renames inside it survive a power cut. Errors are ignored (some file
/// systems refuse fsync on directories; the rename itself is still atomic).
void fsync_dir(const std::string& dir);

/// Points the symlink `link` at `target` (relative text) atomically: a temp symlink
/// (".<name>.tmp.<pid>") renamed over it, then the directory fsynced.
void switch_symlink(const std::string& target, const std::string& link);

/// Text of a symlink, or "" when `link` is absent or not a symlink.
std::string read_symlink(const std::string& link);

/// When $SEGMINT_TEST_KILL_POINT equals `name`, the process kills itself with SIGKILL (tests of
/// crash safety). A no-op otherwise.
void kill_point(const char* name);

}  // namespace segmint
