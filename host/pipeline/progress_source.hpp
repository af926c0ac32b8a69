// An EventSource wrapper that shows the read stage's progress: input bytes of the total with
// rate and time left, events read and users seen so far (throttled; free when progress is off).
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "common/progress.hpp"
#include "common/text.hpp"
#include "segmint/ingest.hpp"

namespace segmint::pipeline {

class ProgressSource : public EventSource {
 public:
  /// Wraps `inner` (not owned) reading `paths`, whose sizes make the total.
  ProgressSource(EventSource& inner, const std::vector<std::string>& paths)
      : inner_(inner),
        scope_("read"),
        start_bytes_(progress::bytes_read()),
        start_(std::chrono::steady_clock::now()) {
    for (const auto& p : paths) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(p, ec);
      if (!ec) total_ += size;
    }
  }
  bool next(EventBatch& batch) override {
    const bool more = inner_.next(batch);
    if (progress::mode() == progress::Mode::off) return more;
    events_ += batch.size();
    // Users are dense indices in order of first appearance: the largest seen + 1 is the count.
    for (std::uint32_t u : batch.user) users_ = std::max<std::uint64_t>(users_, u + 1ull);
    if (progress::due("read") || !more) show();
    return more;
  }
  const IngestCounts& counts() const override { return inner_.counts(); }
  std::vector<std::string> schemas() const override { return inner_.schemas(); }

 private:
  void show() {
    const std::uint64_t bytes = progress::bytes_read() - start_bytes_;
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::string text = bytes > 0 ? progress::bytes_text(bytes, total_, secs) + "; " : "";
    text += group_thousands(events_) + " events, " + group_thousands(users_) + " users aggregated";
    progress::update("read", text, static_cast<double>(bytes), static_cast<double>(total_));
  }

  EventSource& inner_;
  progress::Scope scope_;
  std::uint64_t total_ = 0, start_bytes_ = 0, events_ = 0, users_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace segmint::pipeline
