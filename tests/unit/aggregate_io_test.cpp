// UserTable save/load: exact round trip, and truncated/corrupt/foreign data -> InputError.
#include <sstream>

#include "features_fixture.hpp"

namespace segmint::test {
namespace {

std::string saved(const UserTable& t) {
  std::ostringstream out;
  t.save(out);
  return out.str();
}

UserTable loaded(const std::string& bytes) {
  std::istringstream in(bytes);
  return UserTable::load(in, "state.bin");
}

TEST(AggregateIo, RoundTripIsExactAndKeepsMerging) {
  AggregateOptions o;
  o.session_gap_seconds = 20 * 60;
  o.tz_offset_minutes = -300;
  const EventBatch b = random_events(5000, 80, 11);
  std::vector<std::size_t> first, second;
  for (std::size_t r = 0; r < b.size(); ++r) (r < 2500 ? first : second).push_back(r);
  UserTable whole(o);
  whole.add(b);

  UserTable part(o);
  part.add(take_rows(b, first));
  const std::string bytes = saved(part);
  UserTable back = loaded(bytes);
  EXPECT_EQ(back.users(), part.users());
  EXPECT_EQ(back.options().session_gap_seconds, 20 * 60);
  EXPECT_EQ(back.options().tz_offset_minutes, -300);
  EXPECT_EQ(saved(back), bytes);  // byte-identical image after a round trip
  // Tonight's state + tomorrow's events = everything at once.
  back.add(take_rows(b, second));
  EXPECT_EQ(compute_features(back, {}).values, compute_features(whole, {}).values);
  EXPECT_EQ(saved(back), saved(whole));
}

TEST(AggregateIo, EmptyTableRoundTrips) {
  UserTable t;
  UserTable back = loaded(saved(t));
  EXPECT_EQ(back.users(), 0u);
}

TEST(AggregateIo, TruncatedDataIsAnInputError) {
  UserTable t;
  t.add(random_events(500, 10, 3));
  const std::string bytes = saved(t);
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, std::size_t{30}, bytes.size() / 2,
                          bytes.size() - 1}) {
    try {
      loaded(bytes.substr(0, cut));
      ADD_FAILURE() << "no error for " << cut << " bytes";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("state.bin: "), std::string::npos) << e.what();
    }
  }
}

TEST(AggregateIo, FlippedByteIsCaughtByTheChecksum) {
  UserTable t;
  t.add(random_events(500, 10, 4));
  std::string bytes = saved(t);
  bytes[bytes.size() / 2] ^= 0x20;
  try {
    loaded(bytes);
    FAIL() << "corruption not detected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
}

TEST(AggregateIo, OtherFilesAndVersionsAreRefused) {
  EXPECT_THROW(loaded("user_id,recency_days\n1,2\n"), InputError);
  UserTable t;
  std::string bytes = saved(t);
  bytes[8] = 9;  // version field
  try {
    loaded(bytes);
    FAIL() << "version not checked";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("version 9"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace segmint::test
