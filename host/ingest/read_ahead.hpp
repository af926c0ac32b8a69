// A ByteSource that reads (and inflates) ahead on its own thread, so that gzip decompression
// overlaps with parsing. The bytes it yields are exactly the inner source's.
#pragma once
#include <memory>

#include "ingest/byte_source.hpp"

namespace segmint::ingest {

/// Wraps `inner`; errors of the inner source surface from read() after the bytes before them.
std::unique_ptr<ByteSource> read_ahead(std::unique_ptr<ByteSource> inner);

}  // namespace segmint::ingest
