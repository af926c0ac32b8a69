// CSV ingest throughput (MB/s of uncompressed CSV) for 1 thread and all threads, plain and gzip,
// on a generated REES46-shaped log. Usage: ingest_bench [MB=300] [existing.csv ...]
#include <omp.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "segmint/ingest.hpp"
#include "bench_support.hpp"

namespace {

// Deterministic REES46-shaped rows: time sorted, 9 columns, UUID-like sessions.
std::string make_rows(std::size_t target_bytes) {
  static const char* types[] = {"view", "view", "view", "view", "view", "view", "cart", "purchase"};
  static const char* codes[] = {"", "electronics.smartphone", "appliances.kitchen.washer",
                                "computers.notebook", ""};
  static const char* brands[] = {"samsung", "apple", "", "xiaomi", "huawei", "lucente"};
  std::string s =
      "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,"
      "user_session\n";
  s.reserve(target_bytes + 256);
  segmint::bench::XorShift64 rnd(88172645463325252ull);
  char line[256];
  // REES46 October 2019: 42 M events from 3 M users, about 14 events per user.
  const std::uint64_t users = std::max<std::uint64_t>(1000, target_bytes / 130 / 14);
  for (std::uint64_t i = 0; s.size() < target_bytes; ++i) {
    std::uint64_t t = i / 40;  // ~40 events per second
    std::uint64_t user = 512000000 + rnd() % users;
    std::uint64_t r = rnd();
    int n = std::snprintf(
        line, sizeof line,
        "2019-10-%02llu %02llu:%02llu:%02llu UTC,%s,%llu,%llu,%s,%s,%llu.%02llu,%llu,"
        "%08llx-%04llx-4%03llx-8%03llx-%012llx\n",
        static_cast<unsigned long long>(1 + (t / 86400) % 28),
        static_cast<unsigned long long>((t / 3600) % 24),
        static_cast<unsigned long long>((t / 60) % 60), static_cast<unsigned long long>(t % 60),
        types[r % 8], static_cast<unsigned long long>(1000000 + r % 90000000ull),
        static_cast<unsigned long long>(2053013552326770905ull + r % 1000), codes[r % 5],
        brands[r % 6], static_cast<unsigned long long>(r % 2000),
        static_cast<unsigned long long>(r % 100), static_cast<unsigned long long>(user),
        static_cast<unsigned long long>(user * 2654435761u) & 0xffffffffull,
        static_cast<unsigned long long>(user) & 0xffff, static_cast<unsigned long long>(user >> 3) & 0xfff,
        static_cast<unsigned long long>(user >> 5) & 0xfff,
        static_cast<unsigned long long>(user * 11400714819323198485ull) & 0xffffffffffffull);
    s.append(line, static_cast<std::size_t>(n));
  }
  return s;
}

struct Measure {
  double seconds = 1e30;
  double cpu_seconds = 0;  // process CPU time: the per-core figure on a shared machine
  segmint::IngestCounts counts;
};

Measure run(const std::string& path, int threads, int repeats) {
  Measure best;
  for (int i = 0; i < repeats; ++i) {
    segmint::IngestOptions o;
    o.threads = threads;
    segmint::UserDictionary users;
    std::clock_t c0 = std::clock();
    auto t0 = std::chrono::steady_clock::now();
    auto src = segmint::open_events({path}, o, users);
    segmint::EventBatch b;
    while (src->next(b)) {
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    if (s < best.seconds) best = {s, cpu, src->counts()};
  }
  return best;
}

void row(const std::string& name, int threads, const Measure& m) {
  double mb = static_cast<double>(m.counts.bytes) / 1e6;
  std::printf("| %-28s | %7d | %9.1f | %8.3f | %9.1f | %9.2f | %8.3f | %12.1f |\n", name.c_str(),
              threads, mb, m.seconds, mb / m.seconds,
              static_cast<double>(m.counts.rows) / m.seconds / 1e6, m.cpu_seconds,
              mb / m.cpu_seconds);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mb = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 300;
  const int all = std::max(1, omp_get_max_threads());
  std::string csv = "/tmp/segmint_ingest_bench.csv", gz = csv + ".gz";
  {
    std::string text = make_rows(mb << 20);
    std::FILE* f = std::fopen(csv.c_str(), "wb");
    if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size()) return 1;
    std::fclose(f);
    // The gzip copy holds the first third (level 6 compression of all of it takes too long).
    gzFile g = gzopen(gz.c_str(), "wb6");
    std::size_t part = text.size() / 3;
    part = text.rfind('\n', part) + 1;
    gzwrite(g, text.data(), static_cast<unsigned>(part));
    gzclose(g);
  }
  std::printf("| %-28s | %7s | %9s | %8s | %9s | %9s | %8s | %12s |\n", "input", "threads", "MB",
              "wall s", "MB/s", "Mrows/s", "cpu s", "MB/cpu-s");
  std::printf("|%s|---------|-----------|----------|-----------|-----------|----------|--------------|\n",
              std::string(30, '-').c_str());
  std::vector<std::pair<std::string, std::string>> inputs = {{"rees46-shaped csv", csv},
                                                             {"rees46-shaped csv.gz", gz}};
  for (int i = 2; i < argc; ++i) inputs.emplace_back(argv[i], argv[i]);
  for (const auto& [name, path] : inputs) {
    row(name, 1, run(path, 1, 3));
    if (all > 1) row(name, all, run(path, all, 3));
  }
  std::remove(csv.c_str());
  std::remove(gz.c_str());
  return 0;
}
