// The text-output kit: CSV field quoting and the two number formats every output file uses.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace segmint {

/// Appends `field` to `out` as one CSV field, quoted (RFC 4180: quotes doubled) only when it
/// holds a comma, a quote or a line break.
void append_csv_field(std::string& out, std::string_view field);
/// The CSV field as a string (see append_csv_field).
std::string csv_field(std::string_view field);

/// Fixed formatting of the numeric columns of assignments.csv and centroids.csv ("%.9g", which
/// reads back to the same float; -0 and 0 are written "0").
std::string format_number(double x);

/// Appends the shortest text that parses back to exactly `v` (std::to_chars), as features.csv
/// writes its values.
void append_shortest(std::string& out, float v);
/// The most bytes write_shortest writes ("-1.1754944e-38").
constexpr int kShortestMaxBytes = 16;
/// append_shortest's text written at p (room for kShortestMaxBytes); returns its end.
char* write_shortest(char* p, float v);

/// For people (logs, progress, the report): 1234567 -> "1,234,567".
std::string group_thousands(std::uint64_t n);

}  // namespace segmint
