// The binary event store: columnar, versioned, checksummed; reread at disk speed.
#pragma once
#include <string>

#include "segmint/dictionary.hpp"
#include "segmint/ingest.hpp"

namespace segmint {

/// True when the file starts with the event store's magic bytes.
bool is_event_store(const std::string& path);

/// Writes every event of `source` (and the user ids of `users`) to `path` atomically.
/// Returns the number of events written.
std::uint64_t write_event_store(EventSource& source, const UserDictionary& users,
                                const std::string& path);

}  // namespace segmint
