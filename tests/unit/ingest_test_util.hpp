// Helpers for the ingest tests: write a CSV (optionally gzipped) and read it back.
#pragma once
#include <zlib.h>

#include <string>
#include <vector>

#include "segmint/error.hpp"
#include "segmint/ingest.hpp"
#include "test_support.hpp"

namespace segmint::test {

inline void write_gz(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path);
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
}

/// Reads `paths` with `opts`; the dictionary and counts are returned through the pointers.
inline EventBatch read_csv(const std::vector<std::string>& paths, IngestOptions opts,
                           UserDictionary* users = nullptr, IngestCounts* counts = nullptr) {
  UserDictionary local;
  return read_all_events(paths, opts, users ? *users : local, counts);
}

/// The InputError message reading `path` throws, or "" when it does not throw.
inline std::string read_error(const std::string& path, IngestOptions opts = {}) {
  try {
    UserDictionary users;
    read_all_events({path}, opts, users);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace segmint::test
