// Timestamp parsing for every form the presets meet, to unix seconds UTC.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace segmint::ingest {

/// Parses, to unix seconds UTC (fractions truncated toward negative infinity):
///  - "2019-10-01 00:00:00 UTC", "2010-12-01 08:26:00", "2010-12-01 08:26", "2010-12-01"
///  - ISO-8601 "2019-10-01T00:00:00", with ".fff" fractions, "Z", "+hh:mm", "-hhmm", "+hh"
///  - "12/1/2010 8:26" and "12/1/2010 8:26:59" (M/D/YYYY H:MM[:SS], Online Retail I)
///  - digits only: unix seconds, or unix milliseconds when the value is > 1e11
/// Returns nullopt for anything else (including out-of-range fields such as month 13, and times
/// outside kMinEventTime..kMaxEventTime: years 0000 to 9999 UTC).
std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept;

/// parse_timestamp(text), given that parse_timestamp(prev) == prev_value. Fast when the two
/// differ only in a clock "HH:MM:SS" at bytes 11..18 (sorted logs: the same day and zone), where
/// only the clock is read; anything else is parsed in full.
std::optional<std::int64_t> parse_timestamp_after(std::string_view text, std::string_view prev,
                                                  std::int64_t prev_value) noexcept;

/// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;

/// "YYYY-MM-DD HH:MM:SS" (UTC) of unix seconds, for messages and `info`.
std::string_view format_timestamp(std::int64_t unix_seconds, char (&buf)[32]) noexcept;

}  // namespace segmint::ingest
