// ArrowColumn: the Arrow format strings segmint reads, and each cell as text, number or time.
#include "ingest/arrow_column.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "ingest/row_parse.hpp"
#include "ingest/timestamp.hpp"
#include "segmint/error.hpp"

namespace segmint::ingest {
namespace {

template <typename T>
T load(const void* values, std::int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const char*>(values) + i * static_cast<std::int64_t>(sizeof(T)),
              sizeof(T));
  return v;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

ArrowColumn::Kind ArrowColumn::kind_of(const char* f) {
  const std::string_view s(f ? f : "");
  if (s == "n") return Kind::null;
  if (s == "c") return Kind::i8;
  if (s == "s") return Kind::i16;
  if (s == "i") return Kind::i32;
  if (s == "l") return Kind::i64;
  if (s == "C") return Kind::u8;
  if (s == "S") return Kind::u16;
  if (s == "I") return Kind::u32;
  if (s == "L") return Kind::u64;
  if (s == "f") return Kind::f32;
  if (s == "g") return Kind::f64;
  if (s == "u") return Kind::utf8;
  if (s == "U") return Kind::large_utf8;
  if (s == "vu") return Kind::utf8_view;
  if (s == "tdD") return Kind::date32;
  if (s == "tdm") return Kind::date64;
  if (s.size() >= 4 && s.substr(0, 2) == "ts" && s[3] == ':') return Kind::timestamp;
  throw std::invalid_argument(std::string(s));
}

void ArrowColumn::bind(const ArrowSchema& schema, const ArrowArray& array,
                       const std::string& where) {
  try {
    kind_ = kind_of(schema.format);
  } catch (const std::invalid_argument&) {
    throw InputError(where + ": column '" + (schema.name ? schema.name : "") +
                     "' has Arrow type '" + (schema.format ? schema.format : "") +
                     "', which segmint cannot read (use strings, numbers or timestamps)");
  }
  array_ = &array;
  validity_ = array.n_buffers > 0 ? static_cast<const std::uint8_t*>(array.buffers[0]) : nullptr;
  values_ = array.n_buffers > 1 ? array.buffers[1] : nullptr;
  if (kind_ == Kind::timestamp) {
    const char unit = schema.format[2];
    per_second_ = unit == 'm' ? 1000 : unit == 'u' ? 1000000 : unit == 'n' ? 1000000000 : 1;
  }
  dictionary_.reset();
  if (schema.dictionary) {
    if (!integral() || !array.dictionary) {
      throw InputError(where + ": column '" + (schema.name ? schema.name : "") +
                       "' is a dictionary segmint cannot read");
    }
    dictionary_ = std::make_unique<ArrowColumn>();
    dictionary_->bind(*schema.dictionary, *array.dictionary, where);
  }
}

bool ArrowColumn::null(std::int64_t i) const {
  if (kind_ == Kind::null) return true;
  const std::int64_t j = array_->offset + i;
  if (validity_ && array_->null_count != 0 && !((validity_[j >> 3] >> (j & 7)) & 1)) return true;
  if (dictionary_) return dictionary_->null(index(i));
  if (kind_ == Kind::f32 || kind_ == Kind::f64) return std::isnan(real(i));
  return false;
}

std::int64_t ArrowColumn::index(std::int64_t i) const {
  const std::int64_t j = array_->offset + i;
  switch (kind_) {
    case Kind::i8:
      return load<std::int8_t>(values_, j);
    case Kind::i16:
      return load<std::int16_t>(values_, j);
    case Kind::i32:
      return load<std::int32_t>(values_, j);
    case Kind::u8:
      return load<std::uint8_t>(values_, j);
    case Kind::u16:
      return load<std::uint16_t>(values_, j);
    case Kind::u32:
      return load<std::uint32_t>(values_, j);
    case Kind::u64:
      return static_cast<std::int64_t>(load<std::uint64_t>(values_, j));
    default:
      return load<std::int64_t>(values_, j);  // i64, timestamp, date64
  }
}

double ArrowColumn::real(std::int64_t i) const {
  const std::int64_t j = array_->offset + i;
  if (kind_ == Kind::f32) return load<float>(values_, j);
  if (kind_ == Kind::f64) return load<double>(values_, j);
  if (kind_ == Kind::u64) return static_cast<double>(load<std::uint64_t>(values_, j));
  return static_cast<double>(index(i));
}

std::string_view ArrowColumn::string(std::int64_t i) const {
  const std::int64_t j = array_->offset + i;
  const char* data = static_cast<const char*>(array_->buffers[2]);
  if (kind_ == Kind::utf8) {
    const auto b = load<std::int32_t>(values_, j), e = load<std::int32_t>(values_, j + 1);
    return {data + b, static_cast<std::size_t>(e - b)};
  }
  if (kind_ == Kind::large_utf8) {
    const auto b = load<std::int64_t>(values_, j), e = load<std::int64_t>(values_, j + 1);
    return {data + b, static_cast<std::size_t>(e - b)};
  }
  // utf8_view: 16 bytes per cell; up to 12 bytes inline, else (prefix, buffer, offset).
  const char* view = static_cast<const char*>(values_) + j * 16;
  const auto len = load<std::int32_t>(view, 0);
  if (len <= 12) return {view + 4, static_cast<std::size_t>(len)};
  const auto buffer = load<std::int32_t>(view, 2), offset = load<std::int32_t>(view, 3);
  return {static_cast<const char*>(array_->buffers[2 + buffer]) + offset,
          static_cast<std::size_t>(len)};
}

std::string_view ArrowColumn::text(std::int64_t i, char (&buf)[48]) const {
  if (null(i)) return {};
  if (dictionary_) return dictionary_->text(index(i), buf);
  char* end = buf;
  switch (kind_) {
    case Kind::utf8:
    case Kind::large_utf8:
    case Kind::utf8_view:
      return string(i);
    case Kind::f32:
    case Kind::f64: {
      const double v = real(i);
      // Ids that went through a float (pandas: an integer column with missing values).
      if (std::trunc(v) == v && std::fabs(v) < 9.2e18) {
        end = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v)).ptr;
      } else {
        end = std::to_chars(buf, buf + sizeof buf, v).ptr;
      }
      break;
    }
    case Kind::u64:
      end = std::to_chars(buf, buf + sizeof buf, load<std::uint64_t>(values_, array_->offset + i))
                .ptr;
      break;
    default: {
      std::int64_t t = 0;
      if (!integral() && time(i, t))
        end = std::to_chars(buf, buf + sizeof buf, t).ptr;
      else
        end = std::to_chars(buf, buf + sizeof buf, index(i)).ptr;
    }
  }
  return {buf, static_cast<std::size_t>(end - buf)};
}

bool ArrowColumn::number(std::int64_t i, double& out) const {
  out = 0;
  if (null(i)) return true;
  if (dictionary_) return dictionary_->number(index(i), out);
  if (integral() || kind_ == Kind::f32 || kind_ == Kind::f64) return out = real(i), true;
  if (kind_ == Kind::utf8 || kind_ == Kind::large_utf8 || kind_ == Kind::utf8_view) {
    return parse_number(string(i), out);
  }
  return false;
}

bool ArrowColumn::time(std::int64_t i, std::int64_t& out) const {
  if (null(i)) return false;
  if (dictionary_) return dictionary_->time(index(i), out);
  switch (kind_) {
    case Kind::timestamp:
      out = floor_div(index(i), per_second_);
      return true;
    case Kind::date32:
      out = std::int64_t(load<std::int32_t>(values_, array_->offset + i)) * 86400;
      return true;
    case Kind::date64:
      out = floor_div(index(i), 1000);
      return true;
    default:
      break;
  }
  char buf[48];
  const auto v = parse_timestamp(text(i, buf));
  if (!v) return false;
  out = *v;
  return true;
}

}  // namespace segmint::ingest
