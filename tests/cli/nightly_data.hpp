// Generated day-by-day event files (rees46 layout) with planted archetypes, for nightly tests.
#pragma once
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace segmint::test {

/// Archetypes each user follows every day (unless shifted): what they do and spend.
enum Archetype { kBuyer = 0, kBrowser = 1, kAbandoner = 2, kBigSpender = 3 };
inline constexpr int kArchetypes = 4;

struct DayData {
  int users_per_archetype = 60;
  int days = 4;
  /// From day `shift_day` on (0-based; -1 = never), the first `shift_users` browsers buy like
  /// buyers: the planted shift "buyers grow".
  int shift_day = -1;
  int shift_users = 0;
  unsigned seed = 7;
};

inline std::string user_id(int archetype, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "u%d%04d", archetype, i);
  return buf;
}

inline Archetype behaviour(const DayData& g, int archetype, int i, int day) {
  if (archetype == kBrowser && g.shift_day >= 0 && day >= g.shift_day && i < g.shift_users) {
    return kBuyer;
  }
  return static_cast<Archetype>(archetype);
}

/// Writes day_<d>.csv for d in [0, days) into `dir`; returns the paths in day order.
/// Deterministic for a given DayData (each day has its own seeded stream).
inline std::vector<std::string> write_days(const DayData& g, const std::string& dir) {
  std::vector<std::string> paths;
  const long long day0 = 1704067200;  // 2024-01-01 00:00:00 UTC
  for (int day = 0; day < g.days; ++day) {
    std::mt19937 rng(g.seed * 1000003u + day);
    std::uniform_int_distribution<int> jitter(-1, 1), second(0, 3 * 3600);
    std::string csv =
        "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,"
        "user_session\n";
    for (int a = 0; a < kArchetypes; ++a) {
      for (int i = 0; i < g.users_per_archetype; ++i) {
        Archetype b = behaviour(g, a, i, day);
        int views = 0, carts = 0, removes = 0, buys = 0;
        double price = 0;
        switch (b) {
          case kBuyer: views = 6, carts = 2, buys = 2, price = 60; break;
          case kBrowser: views = 12; break;
          case kAbandoner: views = 4, carts = 4, removes = 1; break;
          case kBigSpender: views = 2, carts = 1, buys = 1, price = 700; break;
        }
        views = std::max(1, views + jitter(rng));
        if (carts) carts = std::max(1, carts + jitter(rng));
        // Each user's events start at their own time of day (10:00 + up to 3 h).
        long long t = day0 + day * 86400LL + 10 * 3600 + second(rng);
        std::string session = "s" + user_id(a, i) + "d" + std::to_string(day);
        auto emit = [&](const char* type, double p) {
          char line[256];
          long long s = t % 86400;
          std::snprintf(line, sizeof line, "%s %02lld:%02lld:%02lld UTC,%s,%d,%d,,,%.2f,%s,%s\n",
                        ("2024-01-" + std::string(day + 1 < 10 ? "0" : "") +
                         std::to_string(day + 1)).c_str(),
                        s / 3600, (s / 60) % 60, s % 60, type, 1000 + (int)(rng() % 50),
                        7 + a, p, user_id(a, i).c_str(), session.c_str());
          csv += line;
          t += 30 + rng() % 60;
        };
        for (int v = 0; v < views; ++v) emit("view", price > 0 ? price : 20.0);
        for (int c = 0; c < carts; ++c) emit("cart", price > 0 ? price : 20.0);
        for (int r = 0; r < removes; ++r) emit("remove_from_cart", 20.0);
        std::uniform_real_distribution<double> spread(0.9, 1.1);
        for (int p = 0; p < buys; ++p) emit("purchase", price * spread(rng));
      }
    }
    std::string path = dir + "/day_" + std::to_string(day) + ".csv";
    write_file(path, csv);
    paths.push_back(path);
  }
  return paths;
}

}  // namespace segmint::test
