// TEMPORARY STUB: replaced by the event store work (delete this file then).
#include "segmint/error.hpp"
#include "segmint/event_store.hpp"
namespace segmint {
bool is_event_store(const std::string&) { return false; }
std::uint64_t write_event_store(EventSource&, const UserDictionary&, const std::string&) {
  throw RuntimeError("stub");
}
}  // namespace segmint
#include "ingest/store_reader.hpp"
namespace segmint {
std::unique_ptr<EventSource> open_event_store(const std::string&, const IngestOptions&,
                                              UserDictionary&) {
  throw RuntimeError("stub");
}
}  // namespace segmint
