// The C boundary of the Parquet module: libsegmint_parquet.so, built on Arrow C++ and loaded by
// the CLI only when it reads a Parquet file (host/cli/parquet_loader.cpp). Linked into the CLI,
// Arrow and Parquet cost every command ~7.6 ms of start-up (their libraries mapped and relocated
// before main: 8.1 ms of CPU for an empty program linked with them, 0.5 ms without;
// 2026-12-04). The module hands back an Arrow C stream, so it needs nothing of segmint's and
// no C++ exception or object crosses the boundary.
#pragma once
#include <cstddef>

struct ArrowArrayStream;

namespace segmint::ingest {

/// The module's file name, and where the CLI looks for it: beside the executable (the build
/// tree), then SEGMINT_PARQUET_MODULE_REL from it (the install tree).
inline constexpr const char* kParquetModuleFile = "libsegmint_parquet.so";
/// Its one exported symbol, of type ParquetModuleOpen.
inline constexpr const char* kParquetModuleEntry = "segmint_parquet_open";

/// Opens the Parquet file `path` and exports its record batches (`batch_rows` rows each) into
/// *out. Returns 0, or non-zero with a message (NUL-terminated, at most err_size bytes) in err.
using ParquetModuleOpen = int (*)(const char* path, long long batch_rows, ArrowArrayStream* out,
                                  char* err, std::size_t err_size);

}  // namespace segmint::ingest
