// Progress lines and JSON progress objects on stderr, throttled.
#include "common/progress.hpp"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>

namespace segmint::progress {
namespace {

std::atomic<int> g_mode{static_cast<int>(Mode::off)};
std::atomic<std::uint64_t> g_bytes{0};
std::atomic<bool> g_line_open{false};
std::mutex g_mutex;
// Guarded by g_mutex except the relaxed reads in due().
std::string g_stage;                                  // stage of the open / last line
std::chrono::steady_clock::time_point g_stage_start;  // when g_stage first showed
std::atomic<std::int64_t> g_last_ns{0};               // last draw, steady clock ns

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string human_bytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) b /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

std::string human_seconds(double s) {
  char buf[32];
  if (s < 90) {
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  } else if (s < 5400) {
    std::snprintf(buf, sizeof buf, "%.0f min", s / 60);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  }
  return buf;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

void configure(bool quiet, bool json_logs) {
  Mode m = Mode::off;
  if (!quiet) m = json_logs ? Mode::json : (::isatty(STDERR_FILENO) ? Mode::terminal : Mode::off);
  g_mode.store(static_cast<int>(m), std::memory_order_relaxed);
}

Mode mode() { return static_cast<Mode>(g_mode.load(std::memory_order_relaxed)); }

void add_bytes_read(std::uint64_t n) { g_bytes.fetch_add(n, std::memory_order_relaxed); }
std::uint64_t bytes_read() { return g_bytes.load(std::memory_order_relaxed); }

void clear_line() {
  if (!g_line_open.load(std::memory_order_relaxed)) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_line_open.load(std::memory_order_relaxed)) return;
  std::fputs("\r\x1b[K", stderr);
  g_line_open.store(false, std::memory_order_relaxed);
}

bool due(const std::string& stage) {
  const Mode m = mode();
  if (m == Mode::off) return false;
  const std::int64_t every = m == Mode::terminal ? 100'000'000 : 2'000'000'000;
  if (now_ns() - g_last_ns.load(std::memory_order_relaxed) >= every) return true;
  std::lock_guard<std::mutex> lock(g_mutex);
  return stage != g_stage;
}

void update(const std::string& stage, const std::string& text, double done, double total) {
  const Mode m = mode();
  if (m == Mode::off) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  g_last_ns.store(now_ns(), std::memory_order_relaxed);
  if (stage != g_stage) {
    if (m == Mode::terminal && g_line_open.load(std::memory_order_relaxed))
      std::fputc('\n', stderr);
    g_line_open.store(false, std::memory_order_relaxed);
    g_stage = stage;
    g_stage_start = std::chrono::steady_clock::now();
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - g_stage_start).count();
  if (m == Mode::terminal) {
    std::fprintf(stderr, "\r\x1b[Ksegmint: %s: %s", stage.c_str(), text.c_str());
    g_line_open.store(true, std::memory_order_relaxed);
  } else {
    std::fprintf(stderr,
                 "{\"level\":\"progress\",\"stage\":%s,\"done\":%.17g,\"total\":%.17g,"
                 "\"elapsed_s\":%.3f,\"msg\":%s}\n",
                 json_string(stage).c_str(), done, total, secs, json_string(text).c_str());
  }
  std::fflush(stderr);
}

void finish(const std::string& stage) {
  if (mode() != Mode::terminal) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (stage != g_stage || !g_line_open.load(std::memory_order_relaxed)) return;
  std::fputc('\n', stderr);
  std::fflush(stderr);
  g_line_open.store(false, std::memory_order_relaxed);
  g_stage.clear();
}

double elapsed(const std::string& stage) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (stage != g_stage) return 0;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - g_stage_start).count();
}

std::string bytes_text(std::uint64_t done, std::uint64_t total, double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string s = human_bytes(static_cast<double>(done));
  if (total > 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, " (%.0f%%)",
                  100.0 * static_cast<double>(done) / static_cast<double>(total));
    s += " of " + human_bytes(static_cast<double>(total)) + pct;
  }
  if (rate > 0) s += ", " + human_bytes(rate) + "/s";
  if (total > done && rate > 0) {
    s += ", " + human_seconds(static_cast<double>(total - done) / rate) + " left";
  }
  return s;
}

}  // namespace segmint::progress
