// Fuzz target: model.json. A model that reads is self-consistent (sizes agree, every value in
// range) and survives a write/read round trip unchanged; the nightly model reader gets the same
// text's JSON.
#include <cmath>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "nightly/nightly_model.hpp"
#include "outputs/model.hpp"

using namespace segmint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_only_segmint_errors([&] {
    pipeline::Model m = pipeline::model_from_json(text, "model.json");
    SEGMINT_FUZZ_CHECK(m.k >= 1 && m.d >= 1);
    SEGMINT_FUZZ_CHECK(m.centroids.size() == static_cast<std::size_t>(m.k) * m.d);
    SEGMINT_FUZZ_CHECK(m.names.size() == static_cast<std::size_t>(m.k));
    for (float c : m.centroids) SEGMINT_FUZZ_CHECK(std::isfinite(c));
    const std::string out = pipeline::model_to_json(m);
    pipeline::Model back = pipeline::model_from_json(out, "again");
    SEGMINT_FUZZ_CHECK(pipeline::model_to_json(back) == out);
  });
  fuzz::expect_only_segmint_errors([&] {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return;
    nightly::NightlyModel m = nightly::model_from_json(j, "manifest.json");
    SEGMINT_FUZZ_CHECK(m.centroids.size() == static_cast<std::size_t>(m.k) * m.d);
    SEGMINT_FUZZ_CHECK(m.next_id > 0);
  });
  return 0;
}
