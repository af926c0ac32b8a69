// Transparent huge pages for the big arrays the k-means passes stream through (the matrix, labels,
// bounds): with 4 KB pages every 4 KB of a row stream is a new TLB entry and a new page the
// hardware prefetcher cannot cross into (1M x 16 and 1M x 32 passes ran 5-6% slower, measured
// 2026-12-04). numpy asks the same of the kernel for every array of 4 MB or more.
#pragma once
#include <cstddef>
#include <vector>

namespace segmint {

/// Asks the kernel (madvise MADV_HUGEPAGE) to back the 2 MB-aligned pages inside [p, p + bytes)
/// with huge pages when they are first touched. Best effort: a kernel without transparent huge
/// pages, or with them off, keeps 4 KB pages and nothing else changes. Returns whether the
/// advice was taken (false also for ranges too small to hold a whole huge page).
bool advise_huge_pages(const void* p, std::size_t bytes);

/// v.reserve(n), advising huge pages for the new, untouched storage: call it before the
/// elements are written (resize/assign after it), so the first touch faults in huge pages.
template <class T>
void reserve_huge(std::vector<T>& v, std::size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

/// Faults in the pages of [p, p + bytes) from `threads` OpenMP threads, each a contiguous share
/// (one write a 4 KB page), so that the kernel's zeroing of fresh pages, which runs on the
/// thread that first touches a page, is split across them. The bytes written are unspecified.
void touch_pages(void* p, std::size_t bytes, int threads);

/// n copies of `value` in storage advised onto huge pages before it is first written. threads
/// > 1: the storage is first touched by that many threads (touch_pages): a fit's 4 MB arrays
/// took ~1 ms of page zeroing each on the calling thread alone (1M rows, this box, 2026-12-05).
template <class T>
std::vector<T> huge_vector(std::size_t n, const T& value = T{}, int threads = 1) {
  std::vector<T> v;
  reserve_huge(v, n);
  if (threads > 1) touch_pages(v.data(), n * sizeof(T), threads);
  v.assign(n, value);
  return v;
}

}  // namespace segmint
