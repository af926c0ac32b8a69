// A wall-clock stopwatch for stage timings (summary.json timings_ms).
#pragma once
#include <chrono>

namespace segmint {

/// Milliseconds since construction or the last lap().
class Stopwatch {
 public:
  double lap() {
    auto now = std::chrono::steady_clock::now();
    double ms = std::chrono::duration<double, std::milli>(now - start_).count();
    start_ = now;
    return ms;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace segmint
