// The binary event store's reader as an EventSource (one file); open_events() dispatches to it
// for files that start with the store's magic bytes. Implemented with the event store.
#pragma once
#include <memory>
#include <string>

#include "segmint/ingest.hpp"

namespace segmint {

/// Opens one binary event store file. Its user ids are interned into `users`. Throws InputError
/// for a truncated, corrupt (checksum) or foreign file.
std::unique_ptr<EventSource> open_event_store(const std::string& path, const IngestOptions& options,
                                              UserDictionary& users);

}  // namespace segmint
