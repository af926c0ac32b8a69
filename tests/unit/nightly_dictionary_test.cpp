// The persisted user dictionary: indices survive a save/load, corruption is an InputError.
#include <gtest/gtest.h>

#include "nightly/state_files.hpp"
#include "segmint/error.hpp"
#include "test_support.hpp"

namespace segmint::nightly {
namespace {
using test::read_file;
using test::TempDir;
using test::write_file;

TEST(NightlyDictionary, RoundTripKeepsIndices) {
  TempDir dir;
  UserDictionary users;
  for (const char* id : {"b", "a", "18446744073709551615", "c,d"}) users.intern(id);
  save_dictionary(users, dir.file("users.bin"));
  UserDictionary back = load_dictionary(dir.file("users.bin"));
  ASSERT_EQ(back.size(), 4u);
  EXPECT_EQ(back.ids(), users.ids());
  EXPECT_EQ(back.find("a"), 1);
  EXPECT_EQ(back.intern("new"), 4u);  // appending continues after the loaded ids
}

TEST(NightlyDictionary, CorruptOrTruncatedIsInputError) {
  TempDir dir;
  UserDictionary users;
  users.intern("alice");
  users.intern("bob");
  save_dictionary(users, dir.file("users.bin"));
  std::string bytes = read_file(dir.file("users.bin"));
  std::string flipped = bytes;
  flipped[24] ^= 0x20;  // inside "alice"
  write_file(dir.file("flipped.bin"), flipped);
  EXPECT_THROW(load_dictionary(dir.file("flipped.bin")), InputError);
  write_file(dir.file("short.bin"), bytes.substr(0, bytes.size() - 3));
  EXPECT_THROW(load_dictionary(dir.file("short.bin")), InputError);
}

}  // namespace
}  // namespace segmint::nightly
