// Logging to stderr in text or JSON-lines form.
#include "common/log.hpp"

#include <cstdio>
#include <mutex>

#include "common/progress.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {
LogFormat g_format = LogFormat::text;
bool g_quiet = false;
std::mutex g_mutex;

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

void emit(const char* level, std::string_view message) {
  if (g_quiet && std::string_view(level) == "info") return;
  progress::clear_line();  // a log line never lands in the middle of a progress line
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_format == LogFormat::json) {
    std::fprintf(stderr, "{\"level\":\"%s\",\"msg\":\"%s\"}\n", level,
                 json_escape(message).c_str());
  } else if (std::string_view(level) == "info") {
    std::fprintf(stderr, "segmint: %.*s\n", static_cast<int>(message.size()), message.data());
  } else {
    std::fprintf(stderr, "segmint: %s: %.*s\n", level, static_cast<int>(message.size()),
                 message.data());
  }
  std::fflush(stderr);
}
}  // namespace

void set_log_format(LogFormat format) { g_format = format; }
void set_quiet(bool quiet) { g_quiet = quiet; }
LogFormat log_format() { return g_format; }

LogFormat parse_log_format(const std::string& text) {
  if (text == "text") return LogFormat::text;
  if (text == "json") return LogFormat::json;
  throw UsageError("--log-format must be text or json, not '" + text + "'");
}

void log_info(std::string_view message) { emit("info", message); }
void log_warn(std::string_view message) { emit("warning", message); }
void log_error(std::string_view message) { emit("error", message); }

void log_block(std::string_view text) {
  if (g_format == LogFormat::json) {
    emit("info", text);
    return;
  }
  if (g_quiet) return;
  progress::clear_line();
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace segmint
