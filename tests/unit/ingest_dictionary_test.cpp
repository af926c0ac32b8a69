// UserDictionary: dense indices in first-seen order, exact strings, growth, sorted order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "segmint/dictionary.hpp"

namespace segmint {

TEST(UserDictionary, DenseIndicesInFirstSeenOrder) {
  UserDictionary d;
  EXPECT_EQ(d.intern("b"), 0u);
  EXPECT_EQ(d.intern("a"), 1u);
  EXPECT_EQ(d.intern("b"), 0u);
  EXPECT_EQ(d.intern(""), 2u);
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.id(1), "a");
  EXPECT_EQ(d.find("a"), 1);
  EXPECT_EQ(d.find("c"), -1);
}

TEST(UserDictionary, FindOnEmptyDictionary) {
  UserDictionary d;
  EXPECT_EQ(d.find("x"), -1);
  EXPECT_TRUE(d.sorted_order().empty());
}

TEST(UserDictionary, KeepsLargeNumericIdsExactly) {
  UserDictionary d;
  // 2^63 + 1 is not representable as a double: ids must stay strings.
  d.intern("9223372036854775809");
  d.intern("9223372036854775808");
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d.id(0), "9223372036854775809");
}

TEST(UserDictionary, SurvivesGrowthWithManyIds) {
  UserDictionary d;
  const int n = 200000;
  for (int i = 0; i < n; ++i) ASSERT_EQ(d.intern("user" + std::to_string(i)), std::uint32_t(i));
  for (int i = 0; i < n; i += 997) EXPECT_EQ(d.find("user" + std::to_string(i)), i);
  for (int i = 0; i < n; i += 1009) EXPECT_EQ(d.intern("user" + std::to_string(i)), std::uint32_t(i));
  EXPECT_EQ(d.size(), std::size_t(n));
  EXPECT_EQ(d.find("user" + std::to_string(n)), -1);
}

// Short decimal ids are matched by value inside the table (dictionary.cpp, slot_key): ids that
// spell the same number differently, numbers at the 2^32 edge and digit strings of every
// length must still be told apart exactly as strings are.
TEST(UserDictionary, NumericIdsAreMatchedAsTheirExactStrings) {
  const std::vector<std::string> ids = {
      "0",          "00",         "7",          "07",          "007",        "70",
      "4294967295", "4294967296", "04294967295", "9999999999", "1000000000", "100000000",
      "12a",        "1 2",        "-1",         "+1",          "1.0",        "",
      "18446744073709551615",     "18446744073709551616",     "512345678",  "0512345678"};
  UserDictionary d;
  for (std::size_t i = 0; i < ids.size(); ++i) ASSERT_EQ(d.intern(ids[i]), i) << ids[i];
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(d.intern(ids[i]), i) << ids[i];
    EXPECT_EQ(d.find(ids[i]), static_cast<std::int64_t>(i)) << ids[i];
    EXPECT_EQ(d.id(static_cast<std::uint32_t>(i)), ids[i]);
  }
  for (const char* absent : {"000", "8", "4294967294", "42949672950", "5123456780"}) {
    EXPECT_EQ(d.find(absent), -1) << absent;
  }
}

// UserDictionary::hash is FNV-1a over 8-byte little-endian words (the last one zero-padded),
// then a murmur finaliser: its values place users on MPI ranks and nightly shards, so they must
// never change. Written here the plain way, against fresh random ids of every length up to 40
// (every tail length; each id sits inside random bytes, so a read past either end changes the
// value), and a few pinned values.
std::uint64_t plain_hash(const std::string& s) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    for (int b = 0; b < 8; ++b) w |= std::uint64_t{static_cast<unsigned char>(s[i + b])} << (8 * b);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  for (int b = 0; i + b < s.size(); ++b)
    tail |= std::uint64_t{static_cast<unsigned char>(s[i + b])} << (8 * b);
  h = (h ^ tail) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

TEST(UserDictionary, HashIsTheStableFormula) {
  std::mt19937_64 rng(5);
  for (int k = 0; k < 20000; ++k) {
    const std::size_t n = rng() % 41;
    std::string buf(n + 16, '\0');
    for (auto& c : buf) c = static_cast<char>(rng());
    const std::string id = buf.substr(8, n);
    ASSERT_EQ(UserDictionary::hash(std::string_view(buf.data() + 8, n)), plain_hash(id))
        << n << " bytes";
  }
  EXPECT_EQ(UserDictionary::hash(""), 0x7ef62c7b15a4a8a1ull);
  EXPECT_EQ(UserDictionary::hash("512345678"), 0xcaaee56b574f08eeull);
  EXPECT_EQ(UserDictionary::hash("5ed968d0-f6c4-4846-a494-de9aa7fe790f"), 0x4c476b4ad29745beull);
}

// Two ids whose probes start at the same slot of a fresh dictionary's table (1024 slots: the
// first growth), found by search: only ids in one probe chain are ever compared, so these are
// the pairs a wrong value match would confuse.
std::pair<std::string, std::string> same_first_slot(const std::function<std::string(int)>& a,
                                                    const std::function<std::string(int)>& b) {
  for (int k = 0; k < 1000000; ++k) {
    const std::string x = a(k), y = b(k);
    if ((UserDictionary::hash(x) & 1023) == (UserDictionary::hash(y) & 1023)) return {x, y};
  }
  ADD_FAILURE() << "no pair found";
  return {};
}

TEST(UserDictionary, EqualValuesInOneProbeChainStayDistinct) {
  const auto padded = same_first_slot([](int k) { return std::to_string(k + 1); },
                                      [](int k) { return "0" + std::to_string(k + 1); });
  const auto wrapped = same_first_slot(  // v and v + 2^32: equal below 32 bits
      [](int k) { return std::to_string(k); },
      [](int k) { return std::to_string(0x100000000ull + static_cast<unsigned>(k)); });
  const auto hash_as_number = same_first_slot(  // a number equal to another id's hash's high half
      [](int k) { return "u" + std::to_string(k); },
      [](int k) { return std::to_string(UserDictionary::hash("u" + std::to_string(k)) >> 32); });
  for (const auto& [x, y] : {padded, wrapped, hash_as_number}) {
    UserDictionary d;
    ASSERT_EQ(d.intern(x), 0u);
    EXPECT_EQ(d.intern(y), 1u) << x << " vs " << y;
    EXPECT_EQ(d.find(y), 1) << y;
    EXPECT_EQ(d.intern(x), 0u);
  }
}

// Against a reference map: a random mix of numeric ids (dense and sparse values, all lengths),
// zero-padded ones and others, interned in random order with repeats across several growths.
TEST(UserDictionary, MixedIdsAgreeWithAReferenceMap) {
  std::mt19937_64 rng(20261204);
  std::vector<std::string> pool;
  for (int i = 0; i < 30000; ++i) {
    switch (rng() % 5) {
      case 0: pool.push_back(std::to_string(rng() % 100000)); break;
      case 1: pool.push_back(std::to_string(rng() % 0x100000000ull)); break;
      case 2: pool.push_back(std::to_string(rng())); break;  // mostly above 2^32
      case 3: pool.push_back("0" + std::to_string(rng() % 1000)); break;
      default: pool.push_back("u" + std::to_string(rng() % 100000)); break;
    }
  }
  UserDictionary d;
  std::unordered_map<std::string, std::uint32_t> want;
  for (int k = 0; k < 120000; ++k) {
    const std::string& id = pool[rng() % pool.size()];
    const auto [it, fresh] = want.emplace(id, static_cast<std::uint32_t>(want.size()));
    ASSERT_EQ(d.intern(id), it->second) << id << (fresh ? " (new)" : "");
  }
  ASSERT_EQ(d.size(), want.size());
  for (const auto& [id, index] : want) ASSERT_EQ(d.find(id), static_cast<std::int64_t>(index));
  EXPECT_EQ(d.find("u100000"), -1);
}

TEST(UserDictionary, SortedOrderIsBytewise) {
  UserDictionary d;
  for (const char* s : {"b", "10", "a", "9", "B"}) d.intern(s);
  // Bytewise: "10" < "9" < "B" < "a" < "b".
  std::vector<std::uint32_t> want = {1, 3, 4, 2, 0};
  EXPECT_EQ(d.sorted_order(), want);
}

// The integer-key sort against the plain string sort on ids that stress the keys: bytes above
// 0x7f, embedded zeros, shared 16-byte prefixes, ids that are prefixes of others, duplicates.
TEST(UserDictionary, SortedOrderMatchesStringSort) {
  std::mt19937_64 rng(20261204);
  const std::string stems[] = {"", "5000", "0123456789abcdef", std::string("a\0\0b", 4),
                               "\xff\x80zz"};
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) {
    std::string s = stems[rng() % 5];
    const int tail = static_cast<int>(rng() % 24);
    for (int q = 0; q < tail; ++q) {
      const unsigned r = static_cast<unsigned>(rng() % 6);
      s += r == 0 ? '\0' : r == 1 ? static_cast<char>(0x80 + rng() % 128) : static_cast<char>('0' + rng() % 3);
    }
    ids.push_back(s);
    if (rng() % 10 == 0) ids.push_back(s.substr(0, rng() % (s.size() + 1)));  // a prefix
    if (rng() % 20 == 0) ids.push_back(s);                                    // a duplicate
  }
  std::vector<std::uint32_t> want(ids.size());
  for (std::uint32_t i = 0; i < want.size(); ++i) want[i] = i;
  std::stable_sort(want.begin(), want.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return ids[a] < ids[b]; });
  EXPECT_EQ(sorted_order(ids), want);
}

}  // namespace segmint
