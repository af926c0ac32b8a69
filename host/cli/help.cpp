// Examples per subcommand for `segmint help COMMAND`, and the --version report.
#include "cli/help.hpp"

#include <map>
#include <memory>

#include "common/version.hpp"
#include "segmint/backend.hpp"

namespace segmint::cli {

std::string command_examples(const std::string& command) {
  static const std::map<std::string, std::string> examples = {
      {"run",
       "  # Segment a month of events into 8 segments, with the HTML report\n"
       "  $ segmint run --events 2019-Oct.csv.gz --k 8 --out runs/oct --report\n"
       "  # Online Retail II: its own schema preset, money-weighted k-means\n"
       "  $ segmint run --events online_retail.csv.gz --schema online-retail --k 6 \\\n"
       "        --weight-by monetary --out runs/retail\n"
       "  # Only the RFM and funnel features, on the CPU, reproducibly\n"
       "  $ segmint run --events day*.csv --features rfm,funnel --device cpu --seed 7 --out out\n"},
      {"cluster",
       "  # Your own feature table (id column, numeric columns)\n"
       "  $ segmint cluster --matrix users.csv --k 5 --out runs/mine\n"},
      {"assign",
       "  # Put tonight's users into last month's segments\n"
       "  $ segmint assign --model runs/oct/model.json --events today.csv --out today.csv\n"},
      {"features",
       "  # The per-user feature table, to explore in Python\n"
       "  $ segmint features --events 2019-Oct.csv.gz --out features.csv\n"},
      {"sweep",
       "  # Which k? Quality curves for k = 2..12 as a page\n"
       "  $ segmint sweep --events 2019-Oct.csv.gz --k 2..12 --report sweep.html\n"
       "  # The same numbers as JSON\n"
       "  $ segmint sweep --matrix features.csv --k 3..8 --json > sweep.json\n"},
      {"nightly",
       "  # Every night: merge yesterday's export, keep ids, write a report\n"
       "  $ segmint nightly --state /var/lib/segmint --events /exports/2024-05-01.csv.gz \\\n"
       "        --k 8 --report --log-format json\n"
       "  # Rebuild the state from all raw input\n"
       "  $ segmint nightly --state /var/lib/segmint --events /exports/*.csv.gz --full\n"},
      {"report",
       "  # The page of an existing run (writes runs/oct/report.html)\n"
       "  $ segmint report --run runs/oct\n"
       "  # The latest night of a nightly state, with sizes over the kept nights\n"
       "  $ segmint report --run /var/lib/segmint\n"
       "  # A sweep's JSON as curves\n"
       "  $ segmint report --sweep sweep.json --out sweep.html\n"},
      {"generate",
       "  # 20,000 synthetic users with planted segments\n"
       "  $ segmint generate --users 20000 --seed 7 --out demo\n"},
      {"convert",
       "  # Read a large CSV once, rerun from the binary store at disk speed\n"
       "  $ segmint convert --events 2019-Oct.csv.gz --out oct.sgm\n"},
      {"info",
       "  # Rows, users, event types and time range\n"
       "  $ segmint info --events 2019-Oct.csv.gz\n"},
  };
  auto it = examples.find(command);
  return it == examples.end() ? "" : it->second;
}

void print_version(std::FILE* to) {
  std::fprintf(to, "segmint %s\ncommit: %s\n", version(), git_commit());
  const bool cuda = cuda_backend_compiled();
  std::fprintf(to, "CUDA backend: %s\n", cuda ? "on" : "off (built without CUDA)");
  std::string reason;
  std::unique_ptr<Backend> backend;
  try {
    backend = make_backend(BackendOptions{}, &reason);  // --device auto
  } catch (const std::exception& e) {
    reason = e.what();
  }
  if (backend && backend->name() != "cpu") {
    std::fprintf(to, "device: %s\n", backend->description().c_str());
  } else {
    std::fprintf(to, "device: %s%s%s\n", backend ? backend->description().c_str() : "cpu",
                 reason.empty() ? "" : "; no GPU: ", reason.c_str());
  }
}

}  // namespace segmint::cli
