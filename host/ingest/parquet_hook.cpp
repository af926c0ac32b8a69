// The Parquet reader registry: the reader is optional (Arrow C++), open_events() is not.
#include "ingest/parquet_hook.hpp"

#include <atomic>
#include <cstring>
#include <fstream>

#include "segmint/error.hpp"

namespace segmint::ingest {
namespace {
std::atomic<ParquetOpener> g_opener{nullptr};

bool ends_with(const std::string& s, const char* tail) {
  const std::size_t n = std::strlen(tail);
  return s.size() >= n && s.compare(s.size() - n, n, tail) == 0;
}
}  // namespace

void set_parquet_opener(ParquetOpener opener) noexcept { g_opener.store(opener); }

bool is_parquet(const std::string& path) {
  if (ends_with(path, ".parquet") || ends_with(path, ".parq")) return true;
  char magic[4] = {};
  std::ifstream in(path, std::ios::binary);
  return in.read(magic, 4) && std::memcmp(magic, "PAR1", 4) == 0;
}

std::unique_ptr<EventSource> open_parquet_events(const std::string& path,
                                                 const IngestOptions& options,
                                                 UserDictionary& users) {
  const ParquetOpener opener = g_opener.load();
  if (!opener) {
    throw InputError(path, 0,
                     "Parquet input is not supported by this build of segmint (it was built "
                     "without Arrow C++); convert the file to CSV, or rebuild with Arrow C++ "
                     "(pyarrow) installed, or read it from Python (segmint.segment)");
  }
  return opener(path, options, users);
}

}  // namespace segmint::ingest
