// The Lloyd loop's row bounds: the proof's margin, centroid movement rounded up, the test hook.
#include "kmeans/bounds.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "common/huge_pages.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_screen.hpp"

namespace segmint::kmeans {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// v >= 0 rounded up / down to a float.
float round_up(double v) {
  const float f = static_cast<float>(v);
  return static_cast<double>(f) >= v ? f : std::nextafter(f, kInf);
}
float round_down(double v) {
  const float f = static_cast<float>(v);
  return static_cast<double>(f) <= v ? f : std::nextafter(f, 0.f);
}

std::atomic<int> g_forced{-1};  // -1: by k * d; 0: off; 1: on

std::unique_ptr<float[]> uninitialised_rows(std::size_t n) {
  std::unique_ptr<float[]> p(new float[n]);
  advise_huge_pages(p.get(), n * sizeof(float));
  return p;
}

}  // namespace

BoundMargin BoundMargin::make(int d) {
  const double g = detail::ScreenBound::gamma(d);
  BoundMargin m;
  m.rho = round_up(std::sqrt((1 + g) / (1 - g)) * (1 + 0x1p-21) * (1 + 0x1p-50));
  m.abs = 0x1p-48f;
  return m;
}

// upper and lower are streamed by every pass, as x (common/huge_pages.hpp). They are left
// uninitialised: the first pass refreshes every row's bounds before any is read (args(): no
// shift until a pass has run), so zero-filling them only cost a fit its page faults up front.
RowBounds::RowBounds(std::size_t n, int k, int d, float* upper)
    : own_upper_(upper ? nullptr : uninitialised_rows(n)),
      lower_(uninitialised_rows(n)),
      upper_(upper ? upper : own_upper_.get()),
      move_(k),
      other_(k),
      drift_sum_(k),
      other_sum_(k),
      drift_(k),
      other_up_(k),
      drift_low_(k),
      other_low_(k),
      k_(k),
      d_(d) {}

void RowBounds::shift(const float* old, const float* next) {
  // ||next - old|| in double: each difference, square and sum within (d + 2) 2^-53 relative,
  // so the factor 1 + 2^-30 covers every d the screen accepts (<= 2^20); then rounded up.
  for (int c = 0; c < k_; ++c) {
    double s = 0;
    for (int j = 0; j < d_; ++j) {
      const std::size_t q = static_cast<std::size_t>(c) * d_ + j;
      const double t = static_cast<double>(next[q]) - static_cast<double>(old[q]);
      s += t * t;
    }
    const double m = std::sqrt(s) * (1 + 0x1p-30);
    move_[c] = std::isfinite(m) ? round_up(m) : kInf;
  }
  // other[c] = max over c' != c: the largest move, or the second largest for its owner.
  int top = 0;
  for (int c = 1; c < k_; ++c)
    if (move_[c] > move_[top]) top = c;
  float second = 0;
  for (int c = 0; c < k_; ++c)
    if (c != top) second = std::max(second, move_[c]);
  for (int c = 0; c < k_; ++c) other_[c] = c == top ? second : move_[top];
  moved_ = true;
  if (!std::isfinite(move_[top])) {  // nothing can be proven: the next pass refreshes every row
    valid_ = false;
    return;
  }
  for (int c = 0; c < k_; ++c) {
    drift_sum_[c] += move_[c];
    other_sum_[c] += other_[c];
  }
}

BoundArgs RowBounds::args() {
  BoundArgs a;
  a.upper = upper_;
  a.lower = lower_.get();
  a.shift = valid_ && moved_;
  if (!a.shift) {  // every row is refreshed: a new epoch
    std::fill(drift_sum_.begin(), drift_sum_.end(), 0.0);
    std::fill(other_sum_.begin(), other_sum_.end(), 0.0);
  }
  // Each sum adds finite floats in double, within (passes) 2^-53 relative: 1 -+ 2^-30 covers
  // 2^23 passes; then rounded to floats on that side.
  for (int c = 0; c < k_; ++c) {
    drift_[c] = round_up(drift_sum_[c] * (1 + 0x1p-30));
    other_up_[c] = round_up(other_sum_[c] * (1 + 0x1p-30));
    drift_low_[c] = round_down(drift_sum_[c] * (1 - 0x1p-30));
    other_low_[c] = round_down(other_sum_[c] * (1 - 0x1p-30));
  }
  a.drift = drift_.data();
  a.other = other_up_.data();
  a.drift_low = drift_low_.data();
  a.other_low = other_low_.data();
  a.margin = BoundMargin::make(d_);
  a.xlo = round_down(1 - 2 * detail::ScreenBound::gamma(d_));
  valid_ = true;  // after the pass every row holds bounds for the pass's centroids
  moved_ = false;
  return a;
}

void use_row_bounds(bool on) { g_forced = on ? 1 : 0; }
void reset_row_bounds() { g_forced = -1; }
BoundsStart row_bounds_start(int k, int d) {
  const int forced = g_forced.load();
  if (forced >= 0) return forced == 1 ? BoundsStart::at_once : BoundsStart::never;
  return static_cast<long>(k) * d >= kBoundsMinWork ? BoundsStart::at_once : BoundsStart::settling;
}

namespace {
std::atomic<int> g_sum_reuse{-1};
}  // namespace

bool reuse_sums_pays(std::size_t changed, std::size_t n, int k) {
  const int forced = g_sum_reuse.load();
  if (forced >= 0) return forced == 1;
  // Moves per chunk: changed * kChunkRows / n, each touching 2 clusters; at most k / 4 touched.
  return 2 * 4 * static_cast<double>(changed) * kChunkRows <= static_cast<double>(n) * k;
}
void use_sum_reuse(int mode) { g_sum_reuse = mode; }

namespace {
std::atomic<bool> g_exact_sums{true};
}  // namespace
void use_exact_sums(bool on) { g_exact_sums = on; }
bool exact_sums_enabled() { return g_exact_sums.load(); }

std::size_t& last_exact_chunks() {
  thread_local std::size_t count = 0;
  return count;
}

std::vector<std::size_t>& last_skipped_rows() {
  thread_local std::vector<std::size_t> v;
  return v;
}

}  // namespace segmint::kmeans
