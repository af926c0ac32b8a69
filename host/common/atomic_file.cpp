// AtomicFile: temp file + fsync + rename, so readers see the old file or the new one, never half.
#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/fs_atomic.hpp"
#include "segmint/error.hpp"

namespace segmint {
AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), temp_(temp_name(path_)) {
  remove_stale_temps(path_);  // what a killed writer of this file left
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) {
    throw RuntimeError("cannot create " + temp_ + ": " + std::strerror(errno));
  }
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::write(std::string_view bytes) { write(bytes.data(), bytes.size()); }

void AtomicFile::write(const void* data, std::size_t size) {
  if (size && std::fwrite(data, 1, size, file_) != size) {
    throw RuntimeError("cannot write " + temp_ + ": " + std::strerror(errno));
  }
}

void AtomicFile::commit() {
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) {
    throw RuntimeError("cannot flush " + temp_ + ": " + std::strerror(errno));
  }
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    throw RuntimeError("cannot close " + temp_ + ": " + std::strerror(errno));
  }
  file_ = nullptr;
  kill_point("atomic_file_before_rename");
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    throw RuntimeError("cannot rename " + temp_ + " to " + path_ + ": " + std::strerror(errno));
  }
  committed_ = true;
  fsync_dir(parent_dir(path_));
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  AtomicFile file(path);
  file.write(bytes);
  file.commit();
}

}  // namespace segmint
