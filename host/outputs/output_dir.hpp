// A run's outputs change as one unit: the files live in a generation directory under
// DIR/.segmint/, DIR/.segmint/current points at the complete one, and DIR/<name> are fixed
// symlinks into current. Committing a run writes a new generation and switches current with
// one rename, so a kill at any moment leaves every DIR/<name> from the same run.
//
//   DIR/assignments.csv -> .segmint/current/assignments.csv     (fixed links, made once)
//   DIR/.segmint/current -> run-<pid>-<ns>                      (switched by rename)
//   DIR/.segmint/run-<pid>-<ns>/assignments.csv ...             (one complete generation)
//
// Leftovers of killed runs (generations that are not current, temp names) carry the pid of the
// run that made them and are removed by the next commit once that process is gone.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace segmint::pipeline {

inline constexpr const char* kOutputStore = ".segmint";

/// Commits `files` (name, content) into `dir` (created when missing) as one unit, as above.
/// Regular files already at those names (outputs of an older segmint, or of `assign --out DIR`)
/// are first adopted into a generation of their own, so even that transition is atomic.
/// RuntimeError (nothing visible changed) when a file cannot be written. Where the file system
/// has no symlinks, falls back to committing file by file (with a warning).
void commit_as_unit(const std::string& dir,
                    const std::vector<std::pair<std::string, std::string>>& files);

/// Where files that join the committed run go (report.html, projection.json written after the
/// commit): DIR/.segmint/current, or DIR itself where the file-by-file fallback was used. Write
/// them there, then call link_output(): a reader sees the new file or none, never one left by an
/// earlier run (the previous generation, and its files, are gone).
std::string current_output_dir(const std::string& dir);
/// Makes DIR/<name> show current's <name> (a no-op in the file-by-file fallback).
void link_output(const std::string& dir, const std::string& name);

/// Removes what killed commits left in `dir`: temp files and generations of processes that no
/// longer run, except the current generation. Returns how many entries it removed.
int clean_stale_outputs(const std::string& dir);

}  // namespace segmint::pipeline
