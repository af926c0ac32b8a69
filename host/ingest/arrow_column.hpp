// One column of an Arrow record batch read as a CSV cell would be: text, numbers and times
// straight from the Arrow buffers (no copy, no conversion of the column).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "segmint/arrow_c.hpp"

namespace segmint::ingest {

/// Reads element i (0-based, the array's offset applied) of one Arrow array. Supported types:
/// null, signed/unsigned integers, float32/64, utf8, large_utf8, utf8_view, timestamp (any unit
/// and zone), date32/date64, and dictionaries of any of these. A float NaN reads as null.
class ArrowColumn {
 public:
  /// Binds an array and its schema (both must outlive the reads). Throws InputError
  /// "`where`: column 'NAME' has Arrow type FORMAT, which segmint cannot read" otherwise.
  void bind(const ArrowSchema& schema, const ArrowArray& array, const std::string& where);

  /// True when the cell is null (or a float NaN).
  bool null(std::int64_t i) const;
  /// The cell as CSV text: strings in place, integers and integral floats as integers, other
  /// floats shortest round-trip, times as unix seconds; "" for null. May point into `buf`.
  std::string_view text(std::int64_t i, char (&buf)[48]) const;
  /// The cell as a number: numeric types as they are, text through parse_number; null is 0.
  /// False when the text is not a number (or the column holds times).
  bool number(std::int64_t i, double& out) const;
  /// The cell as unix seconds: timestamp and date types directly (floored to seconds), other
  /// types by parse_timestamp of their text. False when there is no valid time (or null).
  bool time(std::int64_t i, std::int64_t& out) const;

 private:
  enum class Kind {
    null,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    utf8,
    large_utf8,
    utf8_view,
    timestamp,
    date32,
    date64
  };
  static Kind kind_of(const char* format);
  bool integral() const { return kind_ >= Kind::i8 && kind_ <= Kind::u64; }
  std::int64_t index(std::int64_t i) const;  // integer value at i (integral kinds)
  double real(std::int64_t i) const;         // numeric value at i (integral or float kinds)
  std::string_view string(std::int64_t i) const;

  Kind kind_ = Kind::null;  // of the values in buffer 1 (a dictionary's: its indices)
  const ArrowArray* array_ = nullptr;
  const std::uint8_t* validity_ = nullptr;
  const void* values_ = nullptr;             // buffer 1 (offsets for strings, values otherwise)
  std::int64_t per_second_ = 1;              // timestamp ticks per second
  std::unique_ptr<ArrowColumn> dictionary_;  // dictionary values (indices in this column)
};

}  // namespace segmint::ingest
