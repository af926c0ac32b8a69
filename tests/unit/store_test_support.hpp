// Helpers for the event store tests: an EventSource over batches in memory and random batches
// with a dictionary in first-appearance order.
#pragma once
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "segmint/error.hpp"
#include "segmint/ingest.hpp"

namespace segmint::test {

/// Serves the given batches in order; counts() reports `counts` with events filled in.
class VectorSource : public EventSource {
 public:
  explicit VectorSource(std::vector<EventBatch> batches, IngestCounts counts = {})
      : batches_(std::move(batches)), counts_(counts) {}
  bool next(EventBatch& batch) override {
    batch.clear();
    if (next_ == batches_.size()) return false;
    batch = batches_[next_++];
    counts_.events += batch.size();
    return true;
  }
  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {"memory"}; }

 private:
  std::vector<EventBatch> batches_;
  std::size_t next_ = 0;
  IngestCounts counts_;
};

/// `n_batches` batches of random sizes in [0, max_rows]; users interned into `users` in order of
/// first appearance (so a reader interning into a fresh dictionary must reproduce it exactly).
inline std::vector<EventBatch> random_batches(std::mt19937_64& rng, int n_batches,
                                              std::size_t max_rows, UserDictionary& users) {
  std::vector<std::string> pool;
  std::uniform_int_distribution<int> len(1, 24), byte(1, 255);
  for (int i = 0; i < 500; ++i) {
    std::string id;
    for (int j = len(rng); j > 0; --j) id += static_cast<char>(byte(rng));
    pool.push_back(id + "#" + std::to_string(i));  // unique, arbitrary bytes
  }
  std::uniform_int_distribution<std::size_t> rows(0, max_rows), pick(0, pool.size() - 1);
  std::uniform_int_distribution<std::int64_t> time(-2'000'000'000LL, 4'000'000'000LL);
  std::uniform_int_distribution<int> type(0, kEventTypeCount - 1);
  std::normal_distribution<double> amount(0.0, 1e4);
  std::vector<EventBatch> out(n_batches);
  for (auto& b : out) {
    for (std::size_t n = rows(rng); n > 0; --n) {
      b.push_back(users.intern(pool[pick(rng)]), time(rng), static_cast<EventType>(type(rng)),
                  amount(rng), rng(), rng() % 4 ? rng() : kNoKey, rng(), rng() % 3 ? kNoKey : rng());
    }
  }
  return out;
}

}  // namespace segmint::test
