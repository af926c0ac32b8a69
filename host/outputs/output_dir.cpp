// commit_as_unit: a new generation of a run's files, made visible by one symlink switch.
#include "outputs/output_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "common/fs_atomic.hpp"
#include "common/log.hpp"
#include "outputs/outputs.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {
namespace {
namespace fs = std::filesystem;

constexpr const char* kCurrent = "current";

std::string join(const std::string& a, const std::string& b) { return (fs::path(a) / b).string(); }

// The pid in a name this module or AtomicFile makes ("run-<pid>-<ns>", ".<x>.tmp.<pid>"); 0 if
// the name is none of ours.
long pid_in(const std::string& name) {
  if (name.rfind("run-", 0) != 0) return temp_name_pid(name);
  const std::string digits = name.substr(4, name.find('-', 4) - 4);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  return std::stol(digits);
}

std::string new_generation_name() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return "run-" + std::to_string(::getpid()) + "-" + std::to_string(ns);
}

// Writes and fsyncs one file; RuntimeError with the system's reason (e.g. "No space left on
// device") when it cannot.
void write_synced(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw RuntimeError("cannot create " + path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      throw RuntimeError("cannot write " + path + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    throw RuntimeError("cannot flush " + path + ": " + std::strerror(err));
  }
  if (::close(fd) != 0) throw RuntimeError("cannot close " + path + ": " + std::strerror(errno));
}

// A generation directory that is removed again unless the commit got as far as switching to it.
class Generation {
 public:
  Generation(const std::string& store, std::string name)
      : name_(std::move(name)), path_(join(store, name_)) {
    std::error_code ec;
    if (!fs::create_directory(path_, ec)) {
      throw RuntimeError("cannot create " + path_ + ": " + (ec ? ec.message() : "exists"));
    }
  }
  ~Generation() {
    std::error_code ec;
    if (!kept_) fs::remove_all(path_, ec);
  }
  Generation(const Generation&) = delete;
  Generation& operator=(const Generation&) = delete;
  const std::string& name() const { return name_; }
  std::string file(const std::string& n) const { return join(path_, n); }
  void keep() { kept_ = true; }

 private:
  std::string name_, path_;
  bool kept_ = false;
};

// Points DIR/<name> at .segmint/current/<name> (once; later runs find it in place).
void link_name(const std::string& dir, const std::string& name) {
  const std::string target = std::string(kOutputStore) + "/" + kCurrent + "/" + name;
  if (read_symlink(join(dir, name)) == target) return;
  switch_symlink(target, join(dir, name));
}

// Switches current to `gen` and removes the generation it replaced.
void switch_current(const std::string& store, Generation& gen) {
  const std::string old = read_symlink(join(store, kCurrent));
  switch_symlink(gen.name(), join(store, kCurrent));
  gen.keep();
  kill_point("outputs_after_switch");
  std::error_code ec;
  if (!old.empty() && old != gen.name() && old.find('/') == std::string::npos) {
    fs::remove_all(join(store, old), ec);
  }
}

// Regular files at output names (an older segmint's outputs, `assign --out DIR`) join a
// generation of their own first, then become links showing the same bytes: even the move to
// this layout never mixes two runs.
void adopt_plain_files(const std::string& dir, const std::string& store,
                       const std::vector<std::string>& names) {
  std::vector<std::string> plain;
  for (const auto& n : names) {
    if (fs::is_regular_file(fs::symlink_status(join(dir, n)))) plain.push_back(n);
  }
  if (plain.empty()) return;
  const std::string current = read_symlink(join(store, kCurrent));
  Generation gen(store, new_generation_name());
  for (const auto& n : names) {
    const bool is_plain = std::find(plain.begin(), plain.end(), n) != plain.end();
    const std::string from = is_plain ? join(dir, n) : join(join(store, current), n);
    if (!is_plain && (current.empty() || !fs::exists(from))) continue;
    std::error_code ec;
    fs::create_hard_link(from, gen.file(n), ec);
    if (ec) fs::copy_file(from, gen.file(n), ec);
    if (ec) throw RuntimeError("cannot keep " + from + " while switching to one-unit outputs: " + ec.message());
  }
  fsync_dir(join(store, gen.name()));
  switch_current(store, gen);
  for (const auto& n : plain) {
    link_name(dir, n);
    kill_point("outputs_mid_adopt");
  }
}

bool symlinks_work(const std::string& store) {
  const std::string probe = join(store, ".probe.tmp." + std::to_string(::getpid()));
  ::unlink(probe.c_str());
  if (::symlink("x", probe.c_str()) == 0) {
    ::unlink(probe.c_str());
    return true;
  }
  return errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS;
}

// Links into current whose file the new generation does not have (a file an earlier run wrote).
void drop_dangling_links(const std::string& dir) {
  const std::string prefix = std::string(kOutputStore) + "/" + kCurrent + "/";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string target = read_symlink(e.path().string());
    if (target.rfind(prefix, 0) == 0 && !fs::exists(e.path())) fs::remove(e.path(), ec);
  }
}
}  // namespace

std::string current_output_dir(const std::string& dir) {
  const std::string current = join(join(dir, kOutputStore), kCurrent);
  return read_symlink(current).empty() ? dir : current;
}

void link_output(const std::string& dir, const std::string& name) {
  if (current_output_dir(dir) != dir) link_name(dir, name);
}

int clean_stale_outputs(const std::string& dir) {
  int removed = 0;
  std::error_code ec;
  const std::string store = join(dir, kOutputStore);
  const std::string current = read_symlink(join(store, kCurrent));
  for (const std::string& where : {dir, store}) {
    std::vector<fs::path> stale;
    for (const auto& e : fs::directory_iterator(where, ec)) {
      const std::string name = e.path().filename().string();
      if (name == kCurrent || name == current) continue;
      // In DIR only hidden temp names are ours; the user's own files are never touched.
      if (where == dir && name[0] != '.') continue;
      const long pid = pid_in(name);
      if (pid > 0 && process_gone(pid)) stale.push_back(e.path());
    }
    for (const auto& p : stale) {
      fs::remove_all(p, ec);
      ++removed;
    }
  }
  if (removed) fsync_dir(store);
  return removed;
}

void commit_as_unit(const std::string& dir,
                    const std::vector<std::pair<std::string, std::string>>& files) {
  const std::string store = join(dir, kOutputStore);
  std::error_code ec;
  fs::create_directories(store, ec);
  if (ec) throw RuntimeError("cannot create output directory " + store + ": " + ec.message());
  if (int n = clean_stale_outputs(dir)) {
    log_info("removed " + std::to_string(n) + " leftover(s) of interrupted runs in " + dir);
  }
  if (!symlinks_work(store)) {
    log_warn("the file system of " + dir + " has no symlinks: outputs are replaced file by file");
    commit_outputs(dir, files);
    return;
  }
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.first);
  adopt_plain_files(dir, store, names);
  Generation gen(store, new_generation_name());
  for (const auto& [name, text] : files) write_synced(gen.file(name), text);
  fsync_dir(join(store, gen.name()));
  kill_point("outputs_before_switch");
  switch_current(store, gen);
  for (const auto& n : names) link_name(dir, n);
  drop_dangling_links(dir);
  fsync_dir(dir);
}

}  // namespace segmint::pipeline
