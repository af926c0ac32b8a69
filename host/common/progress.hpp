// Progress of long stages on stderr: one updating line per stage on a terminal, periodic JSON
// objects with --log-format json, nothing when stderr is redirected or with --quiet.
#pragma once
#include <cstdint>
#include <string>

namespace segmint::progress {

enum class Mode { off, terminal, json };

/// Picks the mode once per process: off with `quiet`; JSON objects with `json_logs`; an
/// updating line when stderr is a terminal; off otherwise (a redirected stderr gets no
/// progress, so log files hold only log lines).
void configure(bool quiet, bool json_logs);
Mode mode();

/// True when update() would draw now: at most 10 times a second on a terminal, every 2 seconds
/// as JSON, never when off (one relaxed load and a clock read). Hot loops ask this first and
/// build their text only when it is true. The first update of a stage is always due.
bool due(const std::string& stage);

/// Shows `text` as the line of `stage` ("read", "k-means"): on a terminal it replaces the open
/// line of the same stage and ends (keeps) another stage's line first; as JSON it writes
/// {"level":"progress","stage":..,"done":..,"total":..,"elapsed_s":..,"msg":text}.
void update(const std::string& stage, const std::string& text, double done, double total = 0);

/// Ends `stage`'s line (it stays on screen) when it is the open one.
void finish(const std::string& stage);

/// Seconds since `stage` first showed progress (0 when it has not).
double elapsed(const std::string& stage);

/// Clears an unfinished terminal line before a log line is written (log.cpp calls this).
void clear_line();

/// Ends a stage's line when it goes out of scope.
class Scope {
 public:
  explicit Scope(std::string stage) : stage_(std::move(stage)) {}
  ~Scope() { finish(stage_); }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::string stage_;
};

/// Input bytes consumed so far (compressed bytes for .gz); the byte readers add to it from any
/// thread (relaxed atomics: the count is for display only).
void add_bytes_read(std::uint64_t n);
std::uint64_t bytes_read();

/// "312.4 MB of 1.2 GB (26%), 85.3 MB/s, 10 s left" (total 0: "312.4 MB, 85.3 MB/s").
std::string bytes_text(std::uint64_t done, std::uint64_t total, double seconds);

}  // namespace segmint::progress
