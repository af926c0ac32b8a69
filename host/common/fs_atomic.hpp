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

/// The temp name beside `path` that this process writes before renaming over it:
/// "<dir>/.<name>.tmp.<pid>".
std::string temp_name(const std::string& path);

/// The pid in a temp name ".<x>.tmp.<pid>" (a file name, no directory); 0 when it is not one.
long temp_name_pid(const std::string& name);

/// True when no process `pid` runs, so what it left can go. The calling process's own pid counts
/// as gone: an earlier process with the same pid left it, this one has not made it yet.
bool process_gone(long pid);

/// Removes the temp files of `path` (".<name>.tmp.<pid>" beside it) that killed processes left;
/// those of processes still running stay. Returns how many it removed; errors are ignored.
int remove_stale_temps(const std::string& path);

/// Points the symlink `link` at `target` (relative text) atomically: a temp symlink
/// (".<name>.tmp.<pid>") renamed over it, then the directory fsynced.
void switch_symlink(const std::string& target, const std::string& link);

/// Text of a symlink, or "" when `link` is absent or not a symlink.
std::string read_symlink(const std::string& link);

/// When $SEGMINT_TEST_KILL_POINT equals `name`, the process kills itself with SIGKILL (tests of
/// crash safety). A no-op otherwise.
void kill_point(const char* name);

}  // namespace segmint
