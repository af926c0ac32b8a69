// Loads libsegmint_parquet.so on the first Parquet file and reads its Arrow C stream.
#include "cli/parquet_loader.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <memory>
#include <string>

#include "ingest/parquet_hook.hpp"
#include "ingest/parquet_module.hpp"
#include "segmint/arrow_c.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {

// The folder of the running executable ("" when /proc/self/exe cannot be read).
std::string exe_dir() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  const std::string path(buf, static_cast<std::size_t>(n));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

struct Module {
  ingest::ParquetModuleOpen open = nullptr;
  std::string why;  // what each place tried said, when none had it
};

// Loaded once and never unloaded: the streams it returns call back into its code.
const Module& module() {
  static const Module loaded = [] {
    Module m;
    const std::string dir = exe_dir();
    for (const std::string& path : {dir + "/" + ingest::kParquetModuleFile,
                                    dir + "/" + SEGMINT_PARQUET_MODULE_REL}) {
      void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (void* entry = handle ? ::dlsym(handle, ingest::kParquetModuleEntry) : nullptr) {
        m.open = reinterpret_cast<ingest::ParquetModuleOpen>(entry);
        return m;
      }
      const char* error = ::dlerror();
      m.why += (m.why.empty() ? "" : "; ") + (error ? std::string(error) : path + ": no entry");
    }
    return m;
  }();
  return loaded;
}

std::unique_ptr<EventSource> open_parquet(const std::string& path, const IngestOptions& options,
                                          UserDictionary& users) {
  const Module& m = module();
  if (!m.open) {
    throw InputError(path, 0,
                     "Parquet input needs segmint's Parquet module, which could not be loaded (" +
                         m.why + "); convert the file to CSV, or read it from Python");
  }
  ArrowArrayStream stream{};
  char error[1024] = "";
  if (m.open(path.c_str(), static_cast<long long>(options.batch_rows), &stream, error,
             sizeof error) != 0) {
    throw InputError(path, 0, error);
  }
  return open_arrow_events(&stream, options, users, path);
}

}  // namespace

void register_parquet_reader() { ingest::set_parquet_opener(&open_parquet); }

}  // namespace segmint::cli
