// Fuzz target: the nightly state's binary files. The first byte picks one: the UserTable image
// (loaded, merged with itself, featurised, saved and reloaded byte-identically), the user
// dictionary, or the per-user labels.
#include <cmath>
#include <sstream>

#include "fuzz_support.hpp"
#include "nightly/state_files.hpp"
#include "segmint/aggregate.hpp"
#include "segmint/features.hpp"

using namespace segmint;

namespace {
void user_table(const std::string& bytes) {
  std::istringstream in(bytes);
  UserTable t = UserTable::load(in, "table.bin");
  std::ostringstream saved;
  t.save(saved);
  std::istringstream again(saved.str());
  UserTable back = UserTable::load(again, "saved");
  std::ostringstream resaved;
  back.save(resaved);
  SEGMINT_FUZZ_CHECK(resaved.str() == saved.str());
  FeatureMatrix raw = compute_features(t, {});
  for (float v : raw.values) SEGMINT_FUZZ_CHECK(std::isfinite(v));
  t.merge(back);  // every user merged with itself: still a valid table
  std::ostringstream merged;
  t.save(merged);
  std::istringstream merged_in(merged.str());
  UserTable::load(merged_in, "merged");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  fuzz::expect_only_segmint_errors([&] {
    switch (data[0] % 3) {
      case 0: user_table(bytes); break;
      case 1: {
        fuzz::MemFile f(data + 1, size - 1);
        UserDictionary d = nightly::load_dictionary(f.path());
        (void)d;
        break;
      }
      default: {
        fuzz::MemFile f(data + 1, size - 1);
        auto labels = nightly::load_labels(f.path());
        nightly::check_labels(labels, labels.size(), {0, 1, 2}, f.path());
      }
    }
  });
  return 0;
}
