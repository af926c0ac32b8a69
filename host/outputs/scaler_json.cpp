// Scaler <-> JSON with every list and value checked (a fitted scaler's invariants).
#include "outputs/scaler_json.hpp"

#include <set>

namespace segmint::pipeline {

nlohmann::json scaler_to_json(const Scaler& s) {
  return {{"names", s.names},   {"source_columns", s.source_columns},
          {"log1p", s.log1p},   {"mean", s.mean},
          {"stddev", s.stddev}, {"weight", s.weight},
          {"dropped_constant", s.dropped_constant}};
}

Scaler scaler_from_json(const JsonFields& f, std::size_t catalog_size) {
  constexpr double kHuge = 1e300;
  Scaler s;
  s.names = f.strings("names");
  const std::size_t d = s.names.size();
  if (d == 0) f.fail("names", "expected at least one feature");
  if (std::set<std::string>(s.names.begin(), s.names.end()).size() != d) {
    f.fail("names", "duplicate feature name");
  }
  for (std::int64_t c : f.integers("source_columns", 0, static_cast<std::int64_t>(catalog_size) - 1)) {
    s.source_columns.push_back(static_cast<int>(c));
  }
  for (std::int64_t v : f.integers("log1p", 0, 1)) s.log1p.push_back(static_cast<std::uint8_t>(v));
  s.mean = f.numbers("mean", -kHuge, kHuge);
  s.stddev = f.numbers("stddev", 1e-300, kHuge);
  s.weight = f.numbers("weight", 0, kHuge);
  s.dropped_constant = f.strings("dropped_constant");
  const char* lists[] = {"source_columns", "log1p", "mean", "stddev", "weight"};
  const std::size_t sizes[] = {s.source_columns.size(), s.log1p.size(), s.mean.size(),
                               s.stddev.size(), s.weight.size()};
  for (int i = 0; i < 5; ++i) {
    if (sizes[i] != d) f.fail(lists[i], "expected " + std::to_string(d) + " entries, one per name");
  }
  return s;
}

}  // namespace segmint::pipeline
