// The CSV quoting state machine: memchr jumps between quotes and newlines, 64-byte SIMD masks for
// quote-free records, byte steps nowhere hot.
#include "ingest/csv_scan.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace segmint::ingest {
namespace {

// The special bytes (',', '\n', '"') of p[0, 64), one bit each.
std::uint64_t special_scalar(const char* p) {
  std::uint64_t m = 0;
  for (int i = 0; i < 64; ++i) m |= std::uint64_t{p[i] == ',' || p[i] == '\n' || p[i] == '"'} << i;
  return m;
}
#if defined(__x86_64__)
std::uint64_t special_sse2(const char* p) {
  const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
  std::uint64_t m = 0;
  for (int q = 0; q < 4; ++q) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * q));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, nl)),
                                     _mm_cmpeq_epi8(v, quote));
    m |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(hit))} << (16 * q);
  }
  return m;
}
__attribute__((target("avx2"))) std::uint64_t special_avx2(const char* p) {
  const __m256i comma = _mm256_set1_epi8(','), nl = _mm256_set1_epi8('\n'),
                quote = _mm256_set1_epi8('"');
  std::uint64_t m = 0;
  for (int h = 0; h < 2; ++h) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * h));
    const __m256i hit =
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, comma), _mm256_cmpeq_epi8(v, nl)),
                        _mm256_cmpeq_epi8(v, quote));
    m |= std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(hit))} << (32 * h);
  }
  return m;
}
__attribute__((target("avx512f,avx512bw"))) std::uint64_t special_avx512(const char* p) {
  const __m512i v = _mm512_loadu_si512(p);
  return _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(',')) |
         _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')) |
         _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
}
#endif

IsaChoice g_scan;  // the scan this process runs (common/cpu_isa)

inline const char* find(const char* p, const char* e, char c) {
  return static_cast<const char*>(std::memchr(p, c, static_cast<std::size_t>(e - p)));
}
inline const char* rfind(const char* p, const char* e, char c) {
  return static_cast<const char*>(memrchr(p, c, static_cast<std::size_t>(e - p)));
}
inline std::uint64_t count_newlines(const char* p, const char* e) {
  return static_cast<std::uint64_t>(std::count(p, e, '\n'));
}

}  // namespace

std::size_t find_boundaries(const char* buf, std::size_t len, const std::vector<std::size_t>& targets,
                            std::vector<std::size_t>& splits) {
  const char* e = buf + len;
  const char* p = buf;  // start of an unquoted stretch
  const char* last = nullptr;
  std::size_t next_target = 0;
  splits.clear();
  for (;;) {
    const char* q = find(p, e, '"');
    const char* span_end = q ? q : e;
    // Newlines in [p, span_end) are record boundaries.
    while (next_target < targets.size()) {
      const char* t = std::max(p, buf + targets[next_target]);
      if (t >= span_end) break;
      const char* nl = find(t, span_end, '\n');
      if (!nl) break;
      splits.push_back(static_cast<std::size_t>(nl + 1 - buf));
      ++next_target;
    }
    if (const char* nl = rfind(p, span_end, '\n')) last = nl;
    if (!q) break;
    if (q != buf && q[-1] != ',' && q[-1] != '\n') {  // literal quote inside a field
      p = q + 1;
      continue;
    }
    // Opening quote: find the closing one, stepping over "" pairs.
    const char* r = q + 1;
    const char* close = nullptr;
    for (;;) {
      const char* c = find(r, e, '"');
      if (!c || c + 1 == e) break;  // still quoted at the end (or undecidable): stop here
      if (c[1] == '"') {
        r = c + 2;
        continue;
      }
      close = c;
      break;
    }
    if (!close) break;
    p = close + 1;
  }
  std::size_t cut = last ? static_cast<std::size_t>(last + 1 - buf) : 0;
  for (auto& s : splits) s = std::min(s, cut);
  while (splits.size() < targets.size()) splits.push_back(cut);
  return cut;
}

bool RecordScanner::next(Record& r) {
  r.fields.clear();
  r.error = nullptr;
  while (p_ < e_) {  // skip blank lines
    if (*p_ == '\n') {
      ++p_;
      ++lines_;
    } else if (*p_ == '\r' && p_ + 1 < e_ && p_[1] == '\n') {
      p_ += 2;
      ++lines_;
    } else {
      break;
    }
  }
  if (p_ >= e_) return false;
  r.line = lines_;
  if (fast(r)) return true;
  const char* nl = find(p_, e_, '\n');
  const char* le = nl ? nl : e_;
  if (find(p_, le, '"')) {
    slow(r);
    return true;
  }
  // Fast path: no quotes on this line.
  const char* fe = le;
  if (fe > p_ && fe[-1] == '\r') --fe;
  const char* f = p_;
  for (;;) {
    const char* c = find(f, fe, ',');
    if (!c) {
      r.fields.emplace_back(f, static_cast<std::size_t>(fe - f));
      break;
    }
    r.fields.emplace_back(f, static_cast<std::size_t>(c - f));
    f = c + 1;
  }
  if (nl) {
    p_ = nl + 1;
    ++lines_;
  } else {
    p_ = e_;
  }
  return true;
}

void force_scan_isa(CpuIsa isa) { g_scan.force(isa); }
void reset_scan_isa() { g_scan.reset(); }

SpecialMask RecordScanner::special_mask_fn() {
#if defined(__x86_64__)
  switch (g_scan.current()) {
    case CpuIsa::avx512bf16:  // the byte scan has no bf16 step
    case CpuIsa::avx512:
      return special_avx512;
    case CpuIsa::avx2:
      return special_avx2;
    case CpuIsa::baseline:
      return special_sse2;
  }
#endif
  return special_scalar;
}

bool RecordScanner::fast(Record& r) {
  // One pass finds every ',', '\n' and '"' of the record, 64 bytes a step (special_); fields are
  // collected in a local array (no per-field call), then copied out once.
  std::string_view* fields = fields_;  // a member: a local array would be zeroed per record
  std::size_t n = 0;
  const char* f = p_;
  const char* p = p_;
  auto finish = [&](const char* end, const char* next) {
    const char* fe = end > f && end[-1] == '\r' ? end - 1 : end;
    fields[n++] = std::string_view(f, static_cast<std::size_t>(fe - f));
    r.fields.assign(fields, fields + n);
    p_ = next;
  };
  // Returns 1 at the record's end, -1 to give up, 0 to continue.
  auto on = [&](const char* c) -> int {
    if (*c == ',') {
      if (n + 1 == kFastFields) return -1;
      fields[n++] = std::string_view(f, static_cast<std::size_t>(c - f));
      f = c + 1;
      return 0;
    }
    if (*c == '\n') {
      finish(c, c + 1);
      ++lines_;
      return 1;
    }
    return -1;  // a quote: the general path handles it
  };
  // 64 bytes a step; the block the last record ended in is reused from its offset.
  for (;;) {
    std::uint64_t m;
    const char* base;
    if (block_ && p >= block_ && p < block_ + 64) {
      base = block_;
      m = block_mask_ & (~std::uint64_t{0} << (p - base));
    } else if (e_ - p >= 64) {
      base = block_ = p;
      m = block_mask_ = special_(p);
    } else {
      break;
    }
    for (; m; m &= m - 1) {
      const int res = on(base + __builtin_ctzll(m));
      if (res) return res > 0;
    }
    p = base + 64;
  }
  for (; p < e_; ++p) {
    if (*p == ',' || *p == '\n' || *p == '"') {
      int res = on(p);
      if (res) return res > 0;
    }
  }
  finish(e_, e_);  // the last record, without a line end
  return true;
}

void RecordScanner::slow(Record& r) {
  const char* p = p_;
  for (;;) {  // one field per iteration
    std::string* buf = nullptr;
    const char* start = p;
    const char* fend = p;
    if (p < e_ && *p == '"') {
      ++p;
      start = p;
      for (;;) {
        const char* q = find(p, e_, '"');
        if (!q) {
          lines_ += count_newlines(p, e_);
          r.error = "unterminated quoted field";
          p_ = e_;
          return;
        }
        lines_ += count_newlines(p, q);
        if (q + 1 < e_ && q[1] == '"') {  // escaped quote: keep one
          if (!buf) buf = &arena_->emplace_back(start, static_cast<std::size_t>(q + 1 - start));
          else buf->append(p, static_cast<std::size_t>(q + 1 - p));
          p = q + 2;
          continue;
        }
        if (buf) buf->append(p, static_cast<std::size_t>(q - p));
        fend = q;
        p = q + 1;
        break;
      }
      if (p < e_ && *p != ',' && *p != '\n' && !(*p == '\r' && (p + 1 == e_ || p[1] == '\n'))) {
        // Text after the closing quote: keep it literally up to the field's end.
        if (!buf) buf = &arena_->emplace_back(start, static_cast<std::size_t>(fend - start));
        const char* s = p;
        while (p < e_ && *p != ',' && *p != '\n') ++p;
        const char* t = p;
        if (t < e_ && *t == '\n' && t > s && t[-1] == '\r') --t;
        buf->append(s, static_cast<std::size_t>(t - s));
      }
    } else {
      while (p < e_ && *p != ',' && *p != '\n') ++p;
      fend = p;
      if (fend > start && (p == e_ || *p == '\n') && fend[-1] == '\r') --fend;
    }
    if (buf) r.fields.emplace_back(*buf);
    else r.fields.emplace_back(start, static_cast<std::size_t>(fend - start));
    if (p >= e_ || (*p == '\r' && p + 1 == e_)) {
      p_ = e_;
      return;
    }
    if (*p == ',') {
      ++p;
      continue;
    }
    if (*p == '\r') ++p;  // "\r\n" after a closing quote
    ++lines_;             // *p == '\n'
    p_ = p + 1;
    return;
  }
}

}  // namespace segmint::ingest
