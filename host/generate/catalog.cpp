// The catalog's categories (REES46-style codes, some empty as in the real data), brands and
// log-normal product prices around each category's base price.
#include "generate/catalog.hpp"

#include <algorithm>
#include <cmath>

#include "generate/rng.hpp"

namespace segmint::gen {
namespace {

struct CategorySpec {
  const char* code;
  Tier tier;
  double base_price;
};

const CategorySpec kCategories[] = {
    {"stationery.cartrige", Tier::cheap, 9},          {"kids.toys", Tier::cheap, 14},
    {"accessories.umbrella", Tier::cheap, 12},        {"apparel.sock", Tier::cheap, 4},
    {"", Tier::cheap, 5},                             {"", Tier::cheap, 8},
    {"kitchen.utensils", Tier::cheap, 6},             {"apparel.tshirt", Tier::cheap, 11},
    {"sport.fitness.mat", Tier::cheap, 13},           {"kids.dolls", Tier::cheap, 10},
    {"accessories.wallet", Tier::cheap, 15},          {"country_yard.seeds", Tier::cheap, 3},
    {"appliances.kitchen.kettle", Tier::mid, 35},     {"appliances.environment.vacuum", Tier::mid, 120},
    {"apparel.shoes", Tier::mid, 70},                 {"electronics.audio.headphone", Tier::mid, 55},
    {"appliances.kitchen.blender", Tier::mid, 45},    {"furniture.living_room.chair", Tier::mid, 90},
    {"electronics.clocks", Tier::mid, 110},           {"appliances.personal.hair_cutter", Tier::mid, 40},
    {"auto.accessories.player", Tier::mid, 80},       {"", Tier::mid, 60},
    {"", Tier::mid, 30},                              {"computers.peripherals.mouse", Tier::mid, 25},
    {"electronics.smartphone", Tier::premium, 480},   {"computers.notebook", Tier::premium, 750},
    {"electronics.video.tv", Tier::premium, 620},     {"appliances.kitchen.refrigerators", Tier::premium, 680},
    {"appliances.kitchen.washer", Tier::premium, 420}, {"electronics.tablet", Tier::premium, 350},
    {"computers.desktop", Tier::premium, 900},        {"electronics.camera.photo", Tier::premium, 560},
    {"furniture.bedroom.bed", Tier::premium, 400},    {"appliances.environment.air_conditioner", Tier::premium, 520},
    {"", Tier::premium, 300},                         {"sport.bicycle", Tier::premium, 380},
};

const char* const kBrands[] = {"samsung", "apple",  "xiaomi", "huawei",  "lg",     "sony",
                               "bosch",   "philips", "lenovo", "acer",    "hp",     "asus",
                               "indesit", "redmond", "polaris", "tefal",  "artel",  "midea",
                               "nike",    "adidas",  "lego",    "canon",  "vitek",  "janome"};
constexpr int kBrandCount = sizeof kBrands / sizeof kBrands[0];

}  // namespace

void append_uint(std::string& out, std::uint64_t v) {
  char buf[20];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

void append_price(std::string& out, std::uint32_t cents) {
  append_uint(out, cents / 100);
  char frac[3] = {'.', static_cast<char>('0' + cents / 10 % 10), static_cast<char>('0' + cents % 10)};
  out.append(frac, 3);
}

const Catalog& Catalog::get() {
  static const Catalog catalog;  // thread-safe one-time construction
  return catalog;
}

Catalog::Catalog() {
  const int n = static_cast<int>(sizeof kCategories / sizeof kCategories[0]);
  Rng rng(0x5E6A11C47A106ull, 0);  // fixed: the catalog is the same for every seed
  offset_.push_back(0);
  for (int c = 0; c < n; ++c) {
    const CategorySpec& spec = kCategories[c];
    tier_of_.push_back(spec.tier);
    by_tier_[static_cast<int>(spec.tier)].push_back(c);
    by_tier_[static_cast<int>(Tier::any)].push_back(c);
    const std::uint64_t category_id = 2053013552259662037ull + static_cast<std::uint64_t>(c) * 1234567891ull;
    for (int j = 0; j < kProductsPerCategory; ++j) {
      double price = spec.base_price * std::exp(0.35 * rng.normal());
      auto cents = static_cast<std::uint32_t>(std::lround(price * 100.0));
      price_cents_.push_back(cents ? cents : 1);
      append_uint(blob_, 1000000ull + static_cast<std::uint64_t>(c) * 100000 + j * 17ull + c % 7);
      blob_ += ',';
      append_uint(blob_, category_id);
      blob_ += ',';
      blob_ += spec.code;
      blob_ += ',';
      if (j % 9 != 0) blob_ += kBrands[(c * 5 + j % 4) % kBrandCount];  // some brands unknown
      blob_ += ',';
      append_price(blob_, price_cents_.back());
      blob_ += ',';
      offset_.push_back(static_cast<std::uint32_t>(blob_.size()));
      max_fields_ = std::max<std::size_t>(max_fields_, offset_.back() - offset_[offset_.size() - 2]);
    }
  }
}

}  // namespace segmint::gen
