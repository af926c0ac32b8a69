// Events from Arrow: the Arrow C data and C stream interface structs (the stable, header-only ABI
// of arrow.apache.org/docs/format/CDataInterface.html; no Arrow library needed) and an EventSource
// over an ArrowArrayStream (pyarrow, polars, pandas via the PyCapsule protocol, Parquet readers).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "segmint/dictionary.hpp"
#include "segmint/ingest.hpp"

extern "C" {
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};
#endif  // ARROW_C_STREAM_INTERFACE
}

namespace segmint {

/// An EventSource over the record batches of an Arrow C stream of struct (table) arrays. The
/// columns are matched to event fields by name exactly as a CSV header is (schema presets, auto
/// detection, IngestOptions::column_map / type_map), and each value means what its text would
/// mean in a CSV: strings are read in place (utf8, large_utf8, string_view, dictionary), numbers
/// straight from their buffers (integers, floats; integral floats read as integers for ids),
/// timestamp[s|ms|us|ns] and date32/64 as UTC times, nulls as empty cells. Row r (from 0) of
/// the stream is reported in errors as `name:(r + 2)`, its line in a CSV with a header.
/// Takes ownership of *stream (moved out; released when the source is destroyed). Throws
/// InputError for an unreadable stream, a missing column or an unsupported column type.
std::unique_ptr<EventSource> open_arrow_events(ArrowArrayStream* stream,
                                               const IngestOptions& options, UserDictionary& users,
                                               const std::string& name);

}  // namespace segmint
