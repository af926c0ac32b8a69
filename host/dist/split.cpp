// plan_pieces, record starts and opening a piece: disjoint reads for the ranks of a run.
#include "dist/split.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "ingest/byte_source.hpp"
#include "ingest/csv_source.hpp"
#include "segmint/error.hpp"
#include "segmint/event_store.hpp"

namespace segmint::dist {
namespace {

using u128 = unsigned __int128;

std::uint64_t file_size(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path, 0, "cannot open: " + ec.message());
  return n;
}

bool splittable(const std::string& path) {
  return !ingest::is_gzip_file(path) && !is_event_store(path);
}

// Calls f(block, bytes) over [from, to) of the file in 1 MiB reads; f returns false to stop.
template <typename F>
void scan_bytes(const std::string& path, std::uint64_t from, std::uint64_t to, F f) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  std::vector<char> buf(std::size_t(1) << 20);
  for (std::uint64_t at = from; at < to;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), to - at));
    const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(at));
    if (n <= 0) break;
    if (!f(at, buf.data(), static_cast<std::size_t>(n))) break;
    at += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
}

// An input piece with no records.
class EmptySource final : public EventSource {
 public:
  bool next(EventBatch& batch) override {
    batch.clear();
    return false;
  }
  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {}; }

 private:
  IngestCounts counts_;
};

}  // namespace

std::vector<Piece> plan_pieces(const std::vector<std::string>& paths, int ranks, int rank,
                               std::uint64_t min_split) {
  if (paths.empty()) throw UsageError("no event files given (--events FILE...)");
  std::vector<std::uint64_t> sizes;
  std::uint64_t total = 0;
  for (const auto& p : paths) {
    sizes.push_back(file_size(p));
    total += sizes.back();
  }
  const auto n = static_cast<u128>(ranks);
  auto cut = [&](int r) { return static_cast<std::uint64_t>(static_cast<u128>(total) * r / n); };
  const std::uint64_t lo = cut(rank), hi = cut(rank + 1);
  std::vector<Piece> out;
  std::uint64_t at = 0;
  for (std::size_t f = 0; f < paths.size(); ++f) {
    const std::uint64_t size = sizes[f];
    Piece piece{f, paths[f], true, 0, size};
    if (ranks > 1 && size >= 2 * min_split && splittable(paths[f])) {
      const std::uint64_t b = std::max(lo, at), e = std::min(hi, at + size);
      if (e > b) {
        piece.whole = false;
        piece.begin = b - at;
        piece.end = e - at;
        out.push_back(piece);
      }
    } else {
      const std::uint64_t mid = at + size / 2;
      const int owner =
          total == 0 ? 0
                     : static_cast<int>(std::min<u128>(n - 1, static_cast<u128>(mid) * n / total));
      if (owner == rank) out.push_back(piece);
    }
    at += size;
  }
  return out;
}

std::uint64_t record_start(const std::string& path, std::uint64_t offset) {
  const std::uint64_t size = file_size(path);
  if (offset == 0) return 0;
  if (offset >= size) return size;
  std::uint64_t found = size;
  scan_bytes(path, offset - 1, size, [&](std::uint64_t at, const char* p, std::size_t n) {
    const void* nl = std::memchr(p, '\n', n);
    if (!nl) return true;
    found = at + static_cast<std::uint64_t>(static_cast<const char*>(nl) - p) + 1;
    return false;
  });
  return found;
}

std::unique_ptr<EventSource> open_piece(const Piece& piece, const IngestOptions& options,
                                        UserDictionary& users) {
  if (piece.whole) return open_events({piece.path}, options, users);
  ingest::CsvRange range;
  range.begin = record_start(piece.path, piece.begin);
  range.end = record_start(piece.path, piece.end);
  if (range.begin > 0 && range.begin >= range.end) return std::make_unique<EmptySource>();
  const std::string path = piece.path;
  const std::uint64_t begin = range.begin;
  range.lines_before = [path, begin]() {
    std::uint64_t lines = 0;
    scan_bytes(path, 0, begin, [&](std::uint64_t, const char* p, std::size_t n) {
      lines += static_cast<std::uint64_t>(std::count(p, p + n, '\n'));
      return true;
    });
    return lines;
  };
  return std::make_unique<ingest::CsvSource>(piece.path, options, users, nullptr, &range);
}

}  // namespace segmint::dist
