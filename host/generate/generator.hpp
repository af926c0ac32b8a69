// `segmint generate`: a REES46-shaped event log with planted behavioral archetypes, its
// truth.csv and a generate.json describing it. Output depends on (users, seed, days, start) and
// the messiness options only.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "generate/archetypes.hpp"
#include "generate/user_events.hpp"

namespace segmint::gen {

struct GenerateOptions {
  std::uint64_t users = 10000;
  std::uint64_t seed = 1;
  int days = 30;
  std::int64_t start = 1569888000;  ///< 2019-10-01 00:00:00 UTC (the REES46 month)
  int threads = 0;                  ///< 0 = all cores; never changes the output
  Messiness messy;                  ///< all zero: the clean planted archetypes
};

struct GenerateStats {
  std::uint64_t users = 0, events = 0, bytes = 0;  ///< bytes of events.csv
  std::int64_t min_time = 0, max_time = 0;         ///< over all events (0, 0 when none)
  std::array<std::uint64_t, kArchetypeCount> users_by{}, events_by{};  ///< typed users only
  std::uint64_t untyped_users = 0, heavy_users = 0;
  void merge(const GenerateStats& other);
};

/// User ids are decimal numbers: kFirstUserId + user index (all the same width up to 4e9 users).
inline constexpr std::uint64_t kFirstUserId = 500000000;

/// truth.csv's header: `user_id,archetype`, plus `,heavy` when options.messy.heavy_share > 0.
std::string truth_header(const GenerateOptions& options);

/// Appends the rows of users [begin, end) to `events_csv` and `truth_csv` (no headers).
void generate_users(const GenerateOptions& options, std::uint64_t begin, std::uint64_t end,
                    std::string& events_csv, std::string& truth_csv, GenerateStats& stats);

/// Writes DIR/events.csv, DIR/truth.csv and DIR/generate.json, each atomically; creates DIR.
/// UsageError for invalid options, RuntimeError for I/O failures.
GenerateStats generate_dataset(const GenerateOptions& options, const std::string& dir);

}  // namespace segmint::gen
