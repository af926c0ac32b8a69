// Fuzz target: the nightly state manifest. The input becomes DIR/state/manifest.json beside
// three genuine state files; whatever it says, loading never opens a path outside DIR/state and
// never accepts a state file whose checksum it did not verify.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fuzz_support.hpp"
#include "nightly/fs_ops.hpp"
#include "nightly/nightly_model.hpp"
#include "nightly/state_dir.hpp"

using namespace segmint;
namespace fs = std::filesystem;

namespace {
const nightly::StateDir& state_dir() {
  static nightly::StateDir* sd = [] {
    // In memory when /dev/shm exists: the target rewrites the manifest for every input.
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    const fs::path root = base / ("segmint-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(root);
    static const std::string to_remove = root.string();
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(to_remove, ec);
    });
    auto* dir = new nightly::StateDir(root.string());
    std::string staged = dir->begin_state();
    for (const char* f : {"table.bin", "users.bin", "labels.bin"}) {
      std::ofstream(staged + "/" + f) << f;
    }
    nightly::Manifest m;
    m.run = "2024-01-01T000000Z";
    dir->commit_state(staged, m);
    return dir;
  }();
  return *sd;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nightly::StateDir& sd = state_dir();
  const std::string manifest = sd.state_path() + "/manifest.json";
  {
    std::ofstream out(manifest, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  fuzz::expect_only_segmint_errors([&] {
    auto m = sd.load();
    if (!m) return;
    SEGMINT_FUZZ_CHECK(nightly::is_run_name(m->run));
    for (const auto& [name, print] : m->files) {
      SEGMINT_FUZZ_CHECK(name.find('/') == std::string::npos && !name.empty() && name[0] != '.');
      SEGMINT_FUZZ_CHECK(nightly::fingerprint_file(sd.state_path() + "/" + name).text() ==
                         print.text());
    }
    for (const char* f : {"table.bin", "users.bin", "labels.bin"}) sd.verified_file(*m, f);
    nightly::model_from_json(m->model, manifest);
  });
  return 0;
}
