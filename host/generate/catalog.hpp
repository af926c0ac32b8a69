// The generator's product catalog: categories in three price tiers, products with fixed prices
// and brands, and each product's CSV fields preformatted once so rows are assembled by copying.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "generate/archetypes.hpp"

namespace segmint::gen {

class Catalog {
 public:
  static constexpr int kProductsPerCategory = 400;

  /// The one catalog (built on first use; identical for every seed).
  static const Catalog& get();

  int category_count() const { return static_cast<int>(tier_of_.size()); }
  /// Categories of a tier (Tier::any: all of them).
  const std::vector<int>& categories(Tier tier) const { return by_tier_[static_cast<int>(tier)]; }
  /// Product number (category * kProductsPerCategory + rank).
  static std::uint32_t product(int category, int rank) {
    return static_cast<std::uint32_t>(category * kProductsPerCategory + rank);
  }
  /// "product_id,category_id,category_code,brand,price," of a product.
  std::string_view fields(std::uint32_t product) const {
    return std::string_view(blob_).substr(offset_[product], offset_[product + 1] - offset_[product]);
  }
  std::uint32_t price_cents(std::uint32_t product) const { return price_cents_[product]; }
  /// Length of the longest fields() string.
  std::size_t max_fields() const { return max_fields_; }

 private:
  Catalog();
  std::vector<Tier> tier_of_;
  std::vector<int> by_tier_[4];
  std::vector<std::uint32_t> price_cents_;
  std::string blob_;
  std::vector<std::uint32_t> offset_;
  std::size_t max_fields_ = 0;
};

/// Appends the decimal digits of `v` to `out`.
void append_uint(std::string& out, std::uint64_t v);
/// Appends cents as "12.34".
void append_price(std::string& out, std::uint32_t cents);

}  // namespace segmint::gen
