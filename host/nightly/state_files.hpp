// Binary files of the nightly state besides the UserTable: the user dictionary (so user indices
// stay the same night after night) and each user's segment id of the last night.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "segmint/dictionary.hpp"

namespace segmint::nightly {

/// Writes the dictionary's ids in index order: magic, version, count, length-prefixed ids, and
/// an FNV-1a checksum of everything before it.
void save_dictionary(const UserDictionary& users, const std::string& path);
/// Reads a file written by save_dictionary(); InputError "PATH: what" when truncated, corrupt or
/// of another version.
UserDictionary load_dictionary(const std::string& path);

/// Writes per-user segment ids (int32, -1 = none) with the same framing.
void save_labels(const std::vector<std::int32_t>& labels, const std::string& path);
std::vector<std::int32_t> load_labels(const std::string& path);

/// InputError naming `path` unless there are at most `users` labels and each is -1 or one of
/// `ids` (the segment ids of the state's model).
void check_labels(const std::vector<std::int32_t>& labels, std::size_t users,
                  const std::vector<int>& ids, const std::string& path);

}  // namespace segmint::nightly
