// Parquet event files: open_events() hands them to a reader registered at start-up (the CLI's
// loads the Parquet module, built on Arrow C++ when it was found at build time:
// cli/parquet_loader.hpp; the Python module's reads through pyarrow); without one they are
// refused.
#pragma once
#include <memory>
#include <string>

#include "segmint/dictionary.hpp"
#include "segmint/ingest.hpp"

namespace segmint::ingest {

/// Opens one Parquet file as an EventSource.
using ParquetOpener = std::unique_ptr<EventSource> (*)(const std::string& path,
                                                       const IngestOptions& options,
                                                       UserDictionary& users);

/// Registers the Parquet reader (once, at start-up, before any read).
void set_parquet_opener(ParquetOpener opener) noexcept;

/// True when `path` names a Parquet file (".parquet" / ".parq", or "PAR1" magic at the start).
bool is_parquet(const std::string& path);

/// The registered reader's source for `path`; InputError (exit 2) naming the file and the
/// missing support when none is registered.
std::unique_ptr<EventSource> open_parquet_events(const std::string& path,
                                                 const IngestOptions& options,
                                                 UserDictionary& users);

}  // namespace segmint::ingest
