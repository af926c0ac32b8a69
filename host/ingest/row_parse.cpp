// Row parsing: split, check, convert the mapped columns; errors are recorded, never thrown.
#include "ingest/row_parse.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

#include "ingest/csv_scan.hpp"
#include "ingest/key_memo.hpp"
#include "ingest/same_bytes.hpp"
#include "ingest/timestamp.hpp"
#include "segmint/detail/feature_math.hpp"
#include "segmint/dictionary.hpp"

namespace segmint::ingest {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The plain decimals of event logs ("55.00", "-3.5", "129"): an optional '-', at most 19
// digits with at most one '.', no exponent. When the digits form an integer m <= 2^53 and f of
// them follow the point, m and 10^f are exact doubles and m / 10^f is one correctly rounded
// division: the double from_chars gives (Clinger's fast path). from_chars was 3.5% of a CSV
// features run's samples; this path took 1-3% off its CPU time (interleaved runs, 1 thread,
// 2026-12-04). Anything else returns false and goes to from_chars.
bool parse_plain_decimal(std::string_view s, double& out) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                      1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool negative = p < end && *p == '-';
  if (negative) ++p;
  std::uint64_t m = 0;
  int digits = 0, after_point = -1;  // -1: no point yet
  for (; p < end; ++p) {
    const unsigned c = static_cast<unsigned char>(*p) - '0';
    if (c < 10) {
      if (++digits > 19) return false;
      m = m * 10 + c;
      if (after_point >= 0) ++after_point;
    } else if (*p == '.' && after_point < 0) {
      after_point = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || m > (std::uint64_t{1} << 53)) return false;
  const double v = static_cast<double>(m) / kPow10[after_point < 0 ? 0 : after_point];
  out = negative ? -v : v;
  return true;
}

}  // namespace

bool parse_number(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty()) return out = 0, true;
  if (s.front() == '+') s.remove_prefix(1);
  if (parse_plain_decimal(s, out)) return true;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

namespace {

// True when no byte has its high bit set; 8 bytes per step, and the last (or only) few bytes as
// two overlapping words: a byte loop for the tail was a branch per byte, ~4% of a REES46 read.
bool ascii(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t any = 0;
  if (n >= 8) {
    std::uint64_t w;
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      any |= w;
    }
    std::memcpy(&w, p + n - 8, 8);
    any |= w;
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    any = a | b;
  } else {
    for (std::size_t i = 0; i < n; ++i) any |= static_cast<unsigned char>(p[i]);
  }
  return (any & 0x8080808080808080ull) == 0;
}

// key_of memos of the id columns that repeat (one set per thread, kept across chunks). Item ids
// are short and many: key_of beats a cache that misses (measured), so they have none.
struct IdMemos {
  KeyMemo category{8}, session{11};
};

IdMemos& thread_memos() {
  thread_local std::unique_ptr<IdMemos> memos;
  if (!memos) memos = std::make_unique<IdMemos>();
  return *memos;
}

// Parses one row's mapped columns; returns an error message or nullptr.
class RowParser {
 public:
  explicit RowParser(const Plan& plan) : plan_(plan), memos_(thread_memos()) {
    for (TypeMemo& m : type_memo_) m = {std::string_view(), plan.map_type(std::string_view())};
  }

  std::string parse(const std::vector<std::string_view>& f, Row& row) {
    const Plan& p = plan_;
    if (f.size() > p.ncols() || f.size() < p.min_fields) {
      return "expected " + std::to_string(p.ncols()) + " fields, found " + std::to_string(f.size());
    }
    std::string_view user = f[p.user];
    if (p.strip_dot_zero_user && user.size() > 2 && user.substr(user.size() - 2) == ".0") {
      user.remove_suffix(2);
    }
    std::string_view order = get(f, p.order);
    row.order = key_of(order);
    row.type = p.type >= 0 ? map_type(f[p.type]) : EventType::purchase;
    if (p.cancel_prefix_order && !order.empty() && order.front() == 'C') row.type = EventType::cancel;
    if (user.empty()) {
      row.status = RowStatus::no_user;
      return {};
    }
    row.user = user;
    // Consecutive rows often have the same user (views into this range stay valid).
    row.same_user = have_user_ && same_bytes(user, last_user_);
    if (!row.same_user) {
      have_user_ = true;
      last_user_ = user;
      last_user_hash_ = UserDictionary::hash(user);
    }
    row.user_hash = last_user_hash_;
    for (int c : {p.user, p.item, p.category, p.session, p.order}) {
      std::string_view v = get(f, c);
      if (!ascii(v) && !valid_utf8(v)) {
        return "invalid UTF-8 in column '" + p.columns[c] + "'";
      }
    }
    if (!parse_time(f[p.time], row.time)) {
      return "cannot parse time '" + std::string(f[p.time]) + "' in column '" + p.columns[p.time] + "'";
    }
    row.item = key_of(get(f, p.item));
    row.category = memos_.category.key(get(f, p.category));
    row.session = memos_.session.key(get(f, p.session));
    return amount(f, row);
  }

  /// After a bad row: the next row's user is not "the same" as an uncommitted one.
  void forget_user() { have_user_ = false; }

 private:
  // Column c of the row, empty when the column is absent or the row omits it.
  static std::string_view get(const std::vector<std::string_view>& f, int c) {
    return c >= 0 && static_cast<std::size_t>(c) < f.size() ? f[c] : std::string_view();
  }

  // A log has a handful of type names: the last few are remembered (Plan::map_type compares
  // names with a library call each, ~1.5% of a REES46 read where views, carts and purchases
  // interleave).
  EventType map_type(std::string_view raw) {
    for (const TypeMemo& m : type_memo_)
      if (m.raw.size() == raw.size() && same_bytes(m.raw.data(), raw.data(), raw.size()))
        return m.type;
    TypeMemo& m = type_memo_[next_memo_++ % kTypeMemo];
    m.raw = raw;  // a view into the chunk, which outlives this parser
    return m.type = plan_.map_type(raw);
  }

  bool parse_time(std::string_view s, std::int64_t& t) {
    // Event logs are sorted by time: consecutive rows often share the timestamp text.
    if (!s.empty() && same_bytes(s, last_time_raw_)) {
      t = last_time_;
      return true;
    }
    auto v = parse_timestamp_after(s, last_time_raw_, last_time_);  // a full parse when unlike
    if (!v) return false;
    last_time_raw_ = s;
    t = last_time_ = *v;
    return true;
  }

  std::string amount(const std::vector<std::string_view>& f, Row& row) {
    const Plan& p = plan_;
    double a = 0, b = 0;
    switch (p.amount_rule) {
      case AmountRule::none: break;
      case AmountRule::column:
        if (!parse_number(f[p.amount], a)) return bad_number(f, p.amount);
        if (out_of_range(a)) return bad_amount(f, p.amount);
        row.amount = a;
        break;
      case AmountRule::quantity_times_price:
        if (!parse_number(f[p.quantity], a)) return bad_number(f, p.quantity);
        if (!parse_number(f[p.price], b)) return bad_number(f, p.price);
        row.amount = a * b;
        if (out_of_range(row.amount) ||
            (std::isfinite(a) && std::isfinite(b) && !std::isfinite(row.amount))) {
          return "amount " + std::string(f[p.quantity]) + " x " + std::string(f[p.price]) +
                 " (quantity x price) is out of range (at most 9e12 per event)";
        }
        break;
      case AmountRule::price_on_purchase:
        if (!parse_number(f[p.price], a)) return bad_number(f, p.price);
        if (row.type == EventType::purchase && out_of_range(a)) return bad_amount(f, p.price);
        row.amount = row.type == EventType::purchase ? a : 0.0;
        break;
    }
    return {};
  }

  // Money beyond kMaxAmount cannot be summed exactly (non-finite amounts count as missing).
  static bool out_of_range(double a) { return std::isfinite(a) && std::fabs(a) > detail::kMaxAmount; }
  std::string bad_amount(const std::vector<std::string_view>& f, int c) {
    return "amount '" + std::string(f[c]) + "' in column '" + plan_.columns[c] +
           "' is out of range (at most 9e12 per event)";
  }

  std::string bad_number(const std::vector<std::string_view>& f, int c) {
    return "cannot parse number '" + std::string(f[c]) + "' in column '" + plan_.columns[c] + "'";
  }

  const Plan& plan_;
  IdMemos& memos_;
  struct TypeMemo {
    std::string_view raw;  // empty until used, with the empty name's type: right either way
    EventType type;
  };
  static constexpr unsigned kTypeMemo = 4;
  TypeMemo type_memo_[kTypeMemo];
  unsigned next_memo_ = 0;
  bool have_user_ = false;
  std::string_view last_user_;
  std::uint64_t last_user_hash_ = 0;
  std::string_view last_time_raw_;
  std::int64_t last_time_ = 0;
};

}  // namespace

void emit_event(const Row& r, std::uint32_t user, EventBatch& batch, IngestCounts& counts) {
  batch.push_back(user, r.time, r.type, r.amount, r.item, r.category, r.session, r.order);
  if (counts.events == 0) counts.min_time = counts.max_time = r.time;
  counts.min_time = std::min(counts.min_time, r.time);
  counts.max_time = std::max(counts.max_time, r.time);
  ++counts.events;
  ++counts.by_type[static_cast<std::size_t>(r.type)];
}

bool valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* e = p + s.size();
  while (p < e) {
    unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    unsigned min;
    if ((c & 0xE0) == 0xC0) n = 1, min = 0x80, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 2, min = 0x800, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 3, min = 0x10000, c &= 0x07;
    else return false;
    if (e - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    p += n + 1;
  }
  return true;
}

void parse_rows(const char* begin, const char* end, const Plan& plan, RowBlock& out) {
  out.clear();
  RecordScanner scanner(begin, end, &out.arena);
  RowParser parser(plan);
  Record rec;
  rec.fields.reserve(plan.ncols() + 1);
  while (scanner.next(rec)) {
    Row& row = out.rows.emplace_back();
    std::string err = rec.error ? std::string(rec.error) : parser.parse(rec.fields, row);
    if (!err.empty()) {
      parser.forget_user();
      row.status = RowStatus::bad;
      out.errors.push_back({rec.line, std::move(err)});
    }
  }
  out.lines = scanner.lines();
}

}  // namespace segmint::ingest
