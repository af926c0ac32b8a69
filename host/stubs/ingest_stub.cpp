// TEMPORARY STUB: replaced by the ingest work (delete this file then).
#include "segmint/error.hpp"
#include "segmint/ingest.hpp"
namespace segmint {
std::uint32_t UserDictionary::intern(std::string_view) { throw RuntimeError("stub"); }
std::int64_t UserDictionary::find(std::string_view) const { throw RuntimeError("stub"); }
std::vector<std::uint32_t> UserDictionary::sorted_order() const { throw RuntimeError("stub"); }
void IngestCounts::merge(const IngestCounts&) { throw RuntimeError("stub"); }
std::unique_ptr<EventSource> open_events(const std::vector<std::string>&, const IngestOptions&,
                                         UserDictionary&) { throw RuntimeError("stub"); }
EventBatch read_all_events(const std::vector<std::string>&, const IngestOptions&, UserDictionary&,
                           IngestCounts*) { throw RuntimeError("stub"); }
}  // namespace segmint
