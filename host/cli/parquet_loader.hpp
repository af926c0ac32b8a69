// The CLI's Parquet reader: the Parquet module (ingest/parquet_module.hpp), loaded on the first
// Parquet file the command reads.
#pragma once

namespace segmint::cli {

/// Registers the module's reader with open_events() (main, before any read; only in builds
/// that made the module).
void register_parquet_reader();

}  // namespace segmint::cli
