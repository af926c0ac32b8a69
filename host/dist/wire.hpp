// Packing plain values and strings into the byte messages ranks exchange (host byte order: the
// ranks of one job run the same build), and reading them back with bounds checks.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "segmint/error.hpp"

namespace segmint::dist {

/// Appends values to a message.
struct Writer {
  std::string bytes;
  template <typename T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  /// Length (u32) then the bytes.
  void put_string(std::string_view s) {
    put(static_cast<std::uint32_t>(s.size()));
    bytes.append(s.data(), s.size());
  }
  template <typename T>
  void put_array(const T* v, std::size_t n) {
    bytes.append(reinterpret_cast<const char*>(v), n * sizeof(T));
  }
};

/// Reads a message written by Writer; throws RuntimeError past its end.
class Unpacker {
 public:
  explicit Unpacker(std::string_view bytes) : p_(bytes.data()), e_(bytes.data() + bytes.size()) {}
  template <typename T>
  T get() {
    T v;
    std::memcpy(&v, take(sizeof v), sizeof v);
    return v;
  }
  std::string_view get_string() {
    const auto n = get<std::uint32_t>();
    return std::string_view(take(n), n);
  }
  template <typename T>
  void get_array(T* v, std::size_t n) {
    std::memcpy(v, take(n * sizeof(T)), n * sizeof(T));
  }
  bool done() const noexcept { return p_ == e_; }

 private:
  const char* take(std::size_t n) {
    if (static_cast<std::size_t>(e_ - p_) < n)
      throw RuntimeError("truncated message between ranks");
    const char* at = p_;
    p_ += n;
    return at;
  }
  const char* p_;
  const char* e_;
};

}  // namespace segmint::dist
