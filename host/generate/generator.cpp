// generate_dataset: users in fixed chunks generated in parallel (OpenMP), written in chunk order
// through an `ordered` section, so the bytes never depend on the thread count.
#include "generate/generator.hpp"

#include <omp.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "generate/catalog.hpp"
#include "generate/rows.hpp"
#include "generate/user_events.hpp"
#include "common/atomic_file.hpp"
#include "common/omp_guard.hpp"
#include "segmint/error.hpp"

namespace segmint::gen {
namespace {

constexpr std::uint64_t kChunkUsers = 1024;

void check(const GenerateOptions& o) {
  if (o.users < 1 || o.users > 4'000'000'000ull) throw UsageError("--users must be 1..4000000000");
  if (o.days < 1 || o.days > 3660) throw UsageError("--days must be 1..3660");
  if (o.start % 86400 != 0) throw UsageError("--start must be a UTC midnight");
  const Messiness& m = o.messy;
  if (!(m.jitter >= 0 && m.jitter <= 2)) throw UsageError("--jitter must be 0..2");
  if (!(m.untyped_share >= 0 && m.untyped_share <= 1)) throw UsageError("--untyped-share must be 0..1");
  if (!(m.heavy_share >= 0 && m.heavy_share <= 1)) throw UsageError("--heavy-share must be 0..1");
  if (!(m.heavy_factor >= 1 && m.heavy_factor <= 10000)) {
    throw UsageError("--heavy-factor must be 1..10000");
  }
}

nlohmann::json describe(const GenerateOptions& o, const GenerateStats& s) {
  nlohmann::json archetypes = nlohmann::json::array();
  for (int a = 0; a < kArchetypeCount; ++a) {
    archetypes.push_back({{"id", a},
                          {"name", gen::archetypes()[static_cast<std::size_t>(a)].name},
                          {"users", s.users_by[static_cast<std::size_t>(a)]},
                          {"events", s.events_by[static_cast<std::size_t>(a)]}});
  }
  Window w{o.start, o.days};
  RowFormatter f(w);
  std::string first, last;
  if (s.events) f.append_time(first, s.min_time), f.append_time(last, s.max_time);
  nlohmann::json j = {{"format", "segmint-generate"},
          {"version", 1},
          {"schema", "rees46"},
          {"users", s.users},
          {"events", s.events},
          {"seed", o.seed},
          {"days", o.days},
          {"window", {{"start", civil_date(o.start / 86400)}, {"start_unix", w.start},
                      {"end_unix", w.end()}}},
          {"time_range", {{"min", first}, {"max", last}, {"min_unix", s.min_time},
                          {"max_unix", s.max_time}}},
          {"archetypes", archetypes},
          {"files", {{"events", "events.csv"}, {"truth", "truth.csv"}}}};
  if (o.messy.any()) {  // absent on clean data, whose generate.json stays as it was
    j["messy"] = {{"jitter", o.messy.jitter},
                  {"untyped_share", o.messy.untyped_share},
                  {"heavy_share", o.messy.heavy_share},
                  {"heavy_factor", o.messy.heavy_factor},
                  {"untyped_users", s.untyped_users},
                  {"heavy_users", s.heavy_users}};
  }
  return j;
}

}  // namespace

void GenerateStats::merge(const GenerateStats& o) {
  if (o.events && (!events || o.min_time < min_time)) min_time = o.min_time;
  if (o.events && (!events || o.max_time > max_time)) max_time = o.max_time;
  users += o.users;
  untyped_users += o.untyped_users;
  heavy_users += o.heavy_users;
  events += o.events;
  bytes += o.bytes;
  for (int a = 0; a < kArchetypeCount; ++a) {
    users_by[static_cast<std::size_t>(a)] += o.users_by[static_cast<std::size_t>(a)];
    events_by[static_cast<std::size_t>(a)] += o.events_by[static_cast<std::size_t>(a)];
  }
}

std::string truth_header(const GenerateOptions& options) {
  return options.messy.heavy_share > 0 ? "user_id,archetype,heavy\n" : "user_id,archetype\n";
}

void generate_users(const GenerateOptions& options, std::uint64_t begin, std::uint64_t end,
                    std::string& events_csv, std::string& truth_csv, GenerateStats& stats) {
  Window w{options.start, options.days};
  RowFormatter rows(w);
  GenUser user;
  std::string id;
  const std::size_t before = events_csv.size();
  for (std::uint64_t u = begin; u < end; ++u) {
    generate_user(options.seed, u, w, user, options.messy);
    id.clear();
    append_uint(id, kFirstUserId + u);
    rows.append(events_csv, user, id);
    truth_csv += id;
    truth_csv += ',';
    const bool typed = user.archetype != kNoArchetype;
    const auto a = static_cast<std::size_t>(typed ? user.archetype : 0);
    truth_csv += typed ? archetypes()[a].name : "none";
    if (options.messy.heavy_share > 0) truth_csv += user.heavy ? ",1" : ",0";
    truth_csv += '\n';
    GenerateStats one;
    one.users = 1;
    one.events = user.events.size();
    one.min_time = user.events.front().time;
    one.max_time = user.events.back().time;
    one.untyped_users = typed ? 0 : 1;
    one.heavy_users = user.heavy ? 1 : 0;
    if (typed) one.users_by[a] = 1, one.events_by[a] = one.events;
    stats.merge(one);
  }
  stats.bytes += events_csv.size() - before;
}

GenerateStats generate_dataset(const GenerateOptions& options, const std::string& dir) {
  check(options);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw RuntimeError("cannot create " + dir + ": " + ec.message());
  namespace fs = std::filesystem;
  AtomicFile events((fs::path(dir) / "events.csv").string());
  AtomicFile truth((fs::path(dir) / "truth.csv").string());
  events.write(std::string_view(kEventsHeader));
  truth.write(truth_header(options));

  GenerateStats total;
  total.bytes = std::char_traits<char>::length(kEventsHeader);
  const std::uint64_t chunks = (options.users + kChunkUsers - 1) / kChunkUsers;
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  OmpGuard guard;  // the first failure; later chunks are skipped
#pragma omp parallel num_threads(threads)
  {
    std::string ev, tr;
#pragma omp for ordered schedule(dynamic, 1)
    for (std::uint64_t c = 0; c < chunks; ++c) {
      GenerateStats stats;
      ev.clear();
      tr.clear();
      guard.run([&] {
        std::uint64_t begin = c * kChunkUsers;
        generate_users(options, begin, std::min(options.users, begin + kChunkUsers), ev, tr, stats);
      });
#pragma omp ordered
      guard.run([&] {
        events.write(ev);
        truth.write(tr);
        total.merge(stats);
      });
    }
  }
  guard.rethrow();
  fs::path json_path = fs::path(dir) / "generate.json";
  AtomicFile json(json_path.string());
  json.write(describe(options, total).dump(2) + "\n");
  events.commit();
  truth.commit();
  json.commit();
  return total;
}

}  // namespace segmint::gen
