// save/load of the dictionary and label files: little framing, checked on every load.
#include "nightly/state_files.hpp"

#include <cstring>
#include <set>
#include <fstream>
#include <sstream>

#include "nightly/fs_ops.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {
namespace {
constexpr std::uint32_t kVersion = 1;

// Accumulates bytes and their checksum; the file is written in one go by finish().
class Writer {
 public:
  explicit Writer(const char magic[8]) { bytes(magic, 8); u32(kVersion); }
  void bytes(const void* p, std::size_t n) { buf_.append(static_cast<const char*>(p), n); }
  void u32(std::uint32_t v) { bytes(&v, sizeof v); }
  void u64(std::uint64_t v) { bytes(&v, sizeof v); }
  void finish(const std::string& path) {
    std::uint64_t sum = hash_bytes(buf_.data(), buf_.size());
    u64(sum);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    out.close();
    if (!out) throw RuntimeError("cannot write " + path);
  }

 private:
  std::string buf_;
};

// Reads the whole file, checks magic, version and checksum, then hands out fields.
class Reader {
 public:
  Reader(const std::string& path, const char magic[8]) : path_(path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, 0, "cannot open state file");
    std::ostringstream ss;
    ss << in.rdbuf();
    buf_ = ss.str();
    if (buf_.size() < 8 + 4 + 8 || std::memcmp(buf_.data(), magic, 8) != 0) {
      fail("not a segmint state file of this kind, or truncated");
    }
    std::uint64_t stored;
    std::memcpy(&stored, buf_.data() + buf_.size() - 8, 8);
    if (hash_bytes(buf_.data(), buf_.size() - 8) != stored) fail("checksum mismatch (corrupt)");
    end_ = buf_.size() - 8;
    pos_ = 8;
    if (u32() != kVersion) fail("unsupported version");
  }
  void need(std::size_t n) {
    if (end_ - pos_ < n) fail("truncated");
  }
  std::uint32_t u32() { std::uint32_t v; get(&v, 4); return v; }
  std::uint64_t u64() { std::uint64_t v; get(&v, 8); return v; }
  void get(void* p, std::size_t n) {
    need(n);
    std::memcpy(p, buf_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view view(std::size_t n) {
    need(n);
    std::string_view v(buf_.data() + pos_, n);
    pos_ += n;
    return v;
  }
  void done() {
    if (pos_ != end_) fail("trailing bytes");
  }
  [[noreturn]] void fail(const std::string& what) { throw InputError(path_, 0, what); }

 private:
  std::string path_, buf_;
  std::size_t pos_ = 0, end_ = 0;
};

constexpr char kDictMagic[8] = {'S', 'G', 'M', 'D', 'I', 'C', 'T', '1'};
constexpr char kLabelMagic[8] = {'S', 'G', 'M', 'L', 'A', 'B', 'L', '1'};
}  // namespace

void save_dictionary(const UserDictionary& users, const std::string& path) {
  Writer w(kDictMagic);
  w.u64(users.size());
  for (const auto& id : users.ids()) {
    w.u32(static_cast<std::uint32_t>(id.size()));
    w.bytes(id.data(), id.size());
  }
  w.finish(path);
}

UserDictionary load_dictionary(const std::string& path) {
  Reader r(path, kDictMagic);
  std::uint64_t n = r.u64();
  UserDictionary users;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint32_t len = r.u32();
    if (users.intern(r.view(len)) != i) r.fail("duplicate user id");
  }
  r.done();
  return users;
}

void save_labels(const std::vector<std::int32_t>& labels, const std::string& path) {
  Writer w(kLabelMagic);
  w.u64(labels.size());
  w.bytes(labels.data(), labels.size() * sizeof(std::int32_t));
  w.finish(path);
}

std::vector<std::int32_t> load_labels(const std::string& path) {
  Reader r(path, kLabelMagic);
  std::uint64_t n = r.u64();
  r.need(n * sizeof(std::int32_t));
  std::vector<std::int32_t> labels(n);
  r.get(labels.data(), n * sizeof(std::int32_t));
  r.done();
  return labels;
}

void check_labels(const std::vector<std::int32_t>& labels, std::size_t users,
                  const std::vector<int>& ids, const std::string& path) {
  if (labels.size() > users) {
    throw InputError(path, 0, "more labels (" + std::to_string(labels.size()) +
                                  ") than users in the dictionary (" + std::to_string(users) + ")");
  }
  const std::set<int> known(ids.begin(), ids.end());
  for (std::size_t u = 0; u < labels.size(); ++u) {
    if (labels[u] != -1 && !known.count(labels[u])) {
      throw InputError(path, 0, "label of user " + std::to_string(u) + " is " +
                                    std::to_string(labels[u]) + ", not a segment id of the state");
    }
  }
}

}  // namespace segmint::nightly
