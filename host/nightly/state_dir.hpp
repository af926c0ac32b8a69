// Layout of a nightly state directory and the crash-safe steps that change it.
//
//   DIR/.lock              flock (see lock.hpp)
//   DIR/state/             aggregate state: table.bin (UserTable::save), users.bin (dictionary),
//                          manifest.json (format version, checksums, as_of, merged inputs, model)
//   DIR/runs/<as_of>/      one complete run each, with a COMPLETE marker written last
//   DIR/latest -> runs/<as_of>   symlink, switched atomically
//
// Every change is staged under a hidden temp name (".<name>.tmp.<pid>") and renamed into place,
// so a kill at any moment leaves the previous state, runs and latest intact; recover() removes
// the leftovers at the start of the next run.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nightly/fs_ops.hpp"

namespace segmint::nightly {

inline constexpr int kStateFormatVersion = 1;
inline constexpr const char* kCompleteMarker = "COMPLETE";

/// What state/manifest.json holds.
struct Manifest {
  int version = kStateFormatVersion;
  std::int64_t as_of = 0;            ///< as_of of the features of the last committed night
  std::string run;                   ///< name of that night's run directory (under runs/)
  std::vector<std::string> inputs;   ///< fingerprints of every input file merged so far
  std::map<std::string, FileFingerprint> files;  ///< checksum of each state file, by name
  nlohmann::json model;              ///< segments, scaler, next_id (see nightly_model.hpp)
};

class StateDir {
 public:
  /// Creates DIR, DIR/state's parent and DIR/runs when missing.
  explicit StateDir(std::string root);

  const std::string& root() const { return root_; }
  std::string state_path() const;
  std::string runs_path() const;
  std::string latest_path() const;
  std::string run_path(const std::string& name) const;

  /// Cleans what a killed run left: temp files/dirs, half-swapped directories, run directories
  /// without the COMPLETE marker. Returns a line per thing it cleaned (for the log).
  std::vector<std::string> recover();

  /// The committed manifest, or nullopt when there is no state yet. Verifies the version and the
  /// checksum of every state file: InputError "FILE: what" when the state is corrupt.
  std::optional<Manifest> load() const;
  /// Path of state file `name`, which load() verified; InputError when the manifest does not
  /// list it (a manifest with "files": {} must not skip the checksums).
  std::string verified_file(const Manifest& manifest, const std::string& name) const;

  /// A fresh, empty staging directory for the next state; write table.bin etc. into it.
  std::string begin_state();
  /// Fingerprints the staged files, writes manifest.json, fsyncs, and swaps the staged directory
  /// in as DIR/state in one step.
  void commit_state(const std::string& staged, Manifest manifest);

  /// A fresh, empty staging directory for run `name`.
  std::string begin_run(const std::string& name);
  /// Writes the COMPLETE marker, fsyncs, and moves the staged run to runs/<name> (replacing an
  /// older run of the same name atomically).
  void commit_run(const std::string& staged, const std::string& name);

  /// Points DIR/latest at runs/<name> (which must be complete).
  void switch_latest(const std::string& name);
  /// Name of the run DIR/latest points to, or "".
  std::string latest_run() const;
  /// True when runs/<name> exists and has the COMPLETE marker.
  bool run_complete(const std::string& name) const;

  /// Complete run names, oldest first (names sort by date).
  std::vector<std::string> runs() const;
  /// Removes the oldest complete runs so that `keep` remain (0 = keep all); never removes the
  /// runs named in `protect`. Returns the names removed.
  std::vector<std::string> retain(int keep, const std::vector<std::string>& protect);

 private:
  std::string root_;
};

/// True for a name run_name() can produce (letters, digits, '-'; no '/', no leading '.'), so a
/// name read from the manifest stays inside DIR/runs.
bool is_run_name(const std::string& name);

/// Run directory name of an as_of time: UTC "YYYY-MM-DDTHHMMSSZ" (sorts chronologically).
std::string run_name(std::int64_t as_of);

/// fsyncs a regular file (after an ofstream wrote and closed it).
void fsync_file(const std::string& path);

}  // namespace segmint::nightly
