// save_shard / load_shard: a magic line, the users (row, id), then UserTable::save's bytes.
#include "dist/shard.hpp"

#include <fstream>

#include "dist/wire.hpp"
#include "segmint/error.hpp"

namespace segmint::dist {
namespace {
constexpr char kMagic[] = "segmint-table-shard 1\n";
}  // namespace

void save_shard(const OwnedUsers& owned, const std::string& path) {
  Writer w;
  w.bytes = kMagic;
  w.put(static_cast<std::uint64_t>(owned.users.size()));
  for (std::size_t i = 0; i < owned.users.size(); ++i) {
    w.put(owned.rows.at(i));
    w.put_string(owned.users.id(static_cast<std::uint32_t>(i)));
  }
  std::ofstream out(path, std::ios::binary);
  out.write(w.bytes.data(), static_cast<std::streamsize>(w.bytes.size()));
  owned.table.save(out);
  out.close();
  if (!out) throw RuntimeError("cannot write " + path);
}

void load_shard(const std::string& path, OwnedUsers& owned) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open the state's table shard");
  std::string magic(sizeof kMagic - 1, '\0');
  in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  if (!in || magic != kMagic) throw InputError(path, 0, "not a segmint table shard");
  auto read = [&](void* p, std::size_t n) {
    in.read(static_cast<char*>(p), static_cast<std::streamsize>(n));
    if (!in) throw InputError(path, 0, "truncated table shard");
  };
  std::uint64_t n = 0;
  read(&n, sizeof n);
  std::string id;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t row = 0;
    std::uint32_t len = 0;
    read(&row, sizeof row);
    read(&len, sizeof len);
    id.resize(len);
    read(id.data(), len);
    if (owned.users.intern(id) != i) throw InputError(path, 0, "a user repeats in the shard");
    owned.first.push_back(row);
  }
  owned.table = UserTable::load(in, path);
  if (owned.table.users() > n) throw InputError(path, 0, "shard table has more users than ids");
  owned.table.ensure_users(n);
}

}  // namespace segmint::dist
