// KeyMemo against key_of on fresh random ids, and SerialWorker's order and error passing.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/serial_worker.hpp"
#include "ingest/key_memo.hpp"

namespace segmint::ingest {
namespace {

// Ids of 0..60 bytes (some longer than KeyMemo::kMaxBytes) drawn from a small pool, so that
// they repeat, collide in a tiny cache, and share prefixes and suffixes.
std::vector<std::string> random_ids(std::mt19937_64& rng, std::size_t pool) {
  std::vector<std::string> ids;
  std::uniform_int_distribution<int> len(0, 60), byte(0, 255), digit('0', '9');
  for (std::size_t i = 0; i < pool; ++i) {
    std::string s(static_cast<std::size_t>(len(rng)), '0');
    for (auto& c : s) c = static_cast<char>(i % 3 == 0 ? byte(rng) : digit(rng));
    ids.push_back(std::move(s));
  }
  // Same bytes but one, same first and last 8 bytes, same length: the hardest near-misses.
  const std::string base = "2053013570778180402";
  for (char c = '0'; c <= '9'; ++c) {
    std::string s = base;
    s[9] = c;
    ids.push_back(s);
    ids.push_back(s + '\0');
  }
  return ids;
}

}  // namespace

TEST(KeyMemo, EqualsKeyOfOnRandomIds) {
  for (unsigned bits : {1u, 4u, 11u}) {
    std::mt19937_64 rng(42 + bits);
    const auto ids = random_ids(rng, 300);
    KeyMemo memo(bits);
    std::uniform_int_distribution<std::size_t> pick(0, ids.size() - 1);
    for (int k = 0; k < 20000; ++k) {
      const std::string& id = ids[pick(rng)];
      ASSERT_EQ(memo.key(id), key_of(id)) << "id of " << id.size() << " bytes, " << bits << " bits";
    }
  }
}

TEST(KeyMemo, EmptyIsNoKey) {
  KeyMemo memo(4);
  EXPECT_EQ(memo.key(""), kNoKey);
  EXPECT_EQ(memo.key(std::string_view()), kNoKey);
}

TEST(SerialWorker, RunsJobsInOrderAndPassesExceptions) {
  SerialWorker worker;
  std::vector<int> seen;
  std::vector<std::future<int>> results;
  for (int i = 0; i < 50; ++i) {
    results.push_back(worker.submit([i, &seen] {
      seen.push_back(i);  // one thread: no race
      return i * i;
    }));
  }
  auto failing = worker.submit([]() -> int { throw std::runtime_error("bad chunk"); });
  for (int i = 0; i < 50; ++i) EXPECT_EQ(results[static_cast<std::size_t>(i)].get(), i * i);
  EXPECT_THROW(failing.get(), std::runtime_error);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
}

}  // namespace segmint::ingest
