// EventType names and id keys.
#include <gtest/gtest.h>

#include "segmint/events.hpp"

namespace segmint {

TEST(EventType, NamesRoundTrip) {
  for (int i = 0; i < kEventTypeCount; ++i) {
    auto t = static_cast<EventType>(i);
    auto parsed = parse_event_type(to_string(t));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, t);
  }
  EXPECT_FALSE(parse_event_type("pv").has_value());
}

TEST(KeyOf, EmptyIsNoKeyAndStringsDiffer) {
  EXPECT_EQ(key_of(""), kNoKey);
  EXPECT_NE(key_of("a"), kNoKey);
  EXPECT_NE(key_of("489434"), key_of("C489434"));
  EXPECT_EQ(key_of("x"), key_of(std::string("x")));
}

TEST(EventBatch, AppendKeepsColumnsAligned) {
  EventBatch a, b;
  a.push_back(1, 10, EventType::view, 0, 1, 2, 3, 4);
  b.push_back(2, 20, EventType::purchase, 5.5, 5, 6, 7, 8);
  a.append(b);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a.order[1], 8u);
  EXPECT_EQ(a.type[1], EventType::purchase);
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(a.order.empty());
}

}  // namespace segmint
