// ChunkLoader: bounded reads, cuts at record boundaries, one parse range per thread.
#include "common/omp_guard.hpp"
#include "ingest/chunk_loader.hpp"

#include <algorithm>
#include <cstring>

#include "ingest/read_ahead.hpp"
#include "segmint/error.hpp"

namespace segmint::ingest {
namespace {
constexpr std::size_t kMaxRecordBytes = std::size_t(64) << 20;
}  // namespace

ChunkLoader::ChunkLoader(const std::string& path, int threads, std::size_t chunk_bytes)
    : path_(path), threads_(std::max(1, threads)), chunk_bytes_(std::max<std::size_t>(1, chunk_bytes)),
      src_(open_byte_source(path)) {
  // With several threads, inflate ahead on a thread of its own: it overlaps with parsing.
  // A plain file is read by all threads, each copying its own slice.
  if (threads_ > 1 && src_->gzip()) src_ = read_ahead(std::move(src_));
  src_->set_read_threads(threads_);
  // Read until the first record is complete (or the file ends).
  std::size_t len = 0, want = std::min(chunk_bytes_, std::size_t(1) << 16);
  std::vector<std::size_t> none, splits;
  for (;;) {
    len = read_into(pending_, len, want);
    if (eof_ || find_boundaries(pending_.data(), len, none, splits) > 0) break;
    if (len >= kMaxRecordBytes) {
      throw InputError(path_, 1, "first record longer than 64 MiB (unterminated quoted field?)");
    }
    want *= 2;
  }
  pending_.resize(len);
  if (len == 0) throw InputError(path_, 0, "empty file");
  if (len >= 3 && std::memcmp(pending_.data(), "\xEF\xBB\xBF", 3) == 0) {
    drop_front(3);
    bom_bytes_ = 3;
  }
}

std::size_t ChunkLoader::read_into(std::vector<char>& buf, std::size_t len, std::size_t want) {
  if (buf.size() < want) buf.resize(want);
  while (!eof_ && len < want) {
    std::size_t n = src_->read(buf.data() + len, want - len);
    if (n == 0) eof_ = true;
    len += n;
  }
  return len;
}

Record ChunkLoader::first_record(std::deque<std::string>& arena, std::size_t& bytes,
                                 std::uint64_t& lines) {
  RecordScanner scanner(pending_.data(), pending_.data() + pending_.size(), &arena);
  Record r;
  if (!scanner.next(r)) throw InputError(path_, 0, "empty file");
  bytes = static_cast<std::size_t>(scanner.pos() - pending_.data());
  lines = scanner.lines();
  return r;
}

void ChunkLoader::drop_front(std::size_t bytes) {
  newlines_before_ += static_cast<std::uint64_t>(
      std::count(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(bytes), '\n'));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(bytes));
}

void ChunkLoader::continue_with(std::unique_ptr<ByteSource> src, std::size_t keep) {
  pending_.resize(std::min(keep, pending_.size()));
  src_ = std::move(src);
  src_->set_read_threads(threads_);
  eof_ = false;
}

std::unique_ptr<Chunk> ChunkLoader::next(const Plan& plan, std::unique_ptr<Chunk> reuse) {
  if (pending_.empty() && eof_) return nullptr;
  auto c = reuse ? std::move(reuse) : std::make_unique<Chunk>();
  std::vector<char>& buf = c->data;
  std::size_t len = pending_.size();
  if (buf.size() < std::max(len, chunk_bytes_)) buf.resize(std::max(len, chunk_bytes_));
  std::memcpy(buf.data(), pending_.data(), len);
  std::size_t want = std::max(len, chunk_bytes_);
  std::vector<std::size_t> targets, splits;
  std::size_t cut = 0;
  for (;;) {
    len = read_into(buf, len, want);
    targets.clear();
    for (int i = 1; i < threads_; ++i) targets.push_back(len * static_cast<std::size_t>(i) / threads_);
    cut = find_boundaries(buf.data(), len, targets, splits);
    if (eof_) {
      cut = len;
      break;
    }
    if (cut > 0) break;
    if (len >= kMaxRecordBytes) {
      throw InputError(path_, newlines_before_ + 1,
                       "a record longer than 64 MiB starts here (unterminated quoted field?)");
    }
    want *= 2;
  }
  pending_.assign(buf.begin() + static_cast<std::ptrdiff_t>(cut),
                  buf.begin() + static_cast<std::ptrdiff_t>(len));
  if (cut == 0) return nullptr;
  c->bytes = cut;
  std::vector<std::size_t> bounds{0};
  for (auto s : splits) bounds.push_back(std::min(s, cut));
  bounds.push_back(cut);
  const int n = static_cast<int>(bounds.size()) - 1;
  c->blocks.resize(static_cast<std::size_t>(n));
  const char* base = buf.data();
  OmpGuard guard;  // parsing allocates (rows, errors): bad_alloc must not escape the region
#pragma omp parallel for num_threads(threads_) schedule(static, 1) if (n > 1)
  for (int i = 0; i < n; ++i) {
    guard.run([&] { parse_rows(base + bounds[i], base + bounds[i + 1], plan, c->blocks[i]); });
  }
  guard.rethrow();
  for (const RowBlock& b : c->blocks) newlines_before_ += b.lines;
  return c;
}

}  // namespace segmint::ingest
