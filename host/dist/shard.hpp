// One rank's share of a nightly state: its users (id and global row) and their aggregates,
// stored as DIR/state/table.rank-R-of-N.bin.
#pragma once
#include <string>

#include "dist/shuffle.hpp"

namespace segmint::dist {

/// Writes owned.users, owned.rows and owned.table to `path` (throws RuntimeError on failure).
void save_shard(const OwnedUsers& owned, const std::string& path);
/// Reads a shard written by save_shard into owned (users, first = their rows, table).
/// Throws InputError for a missing, truncated or foreign file.
void load_shard(const std::string& path, OwnedUsers& owned);

}  // namespace segmint::dist
