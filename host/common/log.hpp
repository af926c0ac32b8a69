// Logging to stderr: plain text for people, one JSON object per line for schedulers.
#pragma once
#include <string>
#include <string_view>

namespace segmint {

enum class LogFormat { text, json };

void set_log_format(LogFormat format);
/// --quiet: info messages and blocks are dropped; warnings and errors still show.
void set_quiet(bool quiet);
LogFormat log_format();
/// Parses "text|json"; throws UsageError otherwise.
LogFormat parse_log_format(const std::string& text);

void log_info(std::string_view message);
void log_warn(std::string_view message);
void log_error(std::string_view message);
/// Writes `text` to stderr unchanged in text mode (tables); as {"level":"info","msg":...} in json.
void log_block(std::string_view text);

}  // namespace segmint
