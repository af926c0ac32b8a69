// announce / follow: the followers' loop over rank 0's steps, and the k-means engine whose every
// step is announced, then run on all ranks by BlockFit.
#include "dist/follow.hpp"

#include "backends/kmeans_driver.hpp"
#include "dist/block_fit.hpp"
#include "dist/comm.hpp"
#include "dist/nightly.hpp"
#include "dist/traffic.hpp"
#include "dist/wire.hpp"
#include "pipeline/run_record.hpp"
#include "segmint/error.hpp"

namespace segmint::dist {
namespace {

bool g_listening = false;

// Every fit step's arguments: what BlockFit needs besides the matrix.
std::string fit_params(const KMeansParams& p) {
  Writer w;
  w.put(static_cast<std::int32_t>(p.k));
  w.put(static_cast<std::int32_t>(p.max_iter));
  w.put(static_cast<std::int32_t>(p.threads));
  return w.bytes;
}

KMeansParams read_fit_params(const std::string& args) {
  Unpacker u(args);
  KMeansParams p;
  p.k = u.get<std::int32_t>();
  p.max_iter = u.get<std::int32_t>();
  p.threads = u.get<std::int32_t>();
  return p;
}

// Rank 0's engine: announces each step, then runs it with the followers.
class SpreadEngine final : public KMeansEngine {
 public:
  void prepare(MatrixView x, const float* weights, const KMeansParams& params) override {
    announce("fit.prepare", fit_params(params));
    fit_.prepare(x, weights, params);
  }
  double variance_sum() override {
    announce("fit.variance");
    return fit_.variance_sum();
  }
  std::vector<float> init_plus_plus(std::uint64_t seed) override {
    announce("fit.plus_plus", seed_args(seed));
    return fit_.init_plus_plus(seed);
  }
  std::vector<float> init_parallel(std::uint64_t seed, double oversampling, int rounds) override {
    Writer w;
    w.put(seed);
    w.put(oversampling);
    w.put(static_cast<std::int32_t>(rounds));
    announce("fit.parallel", w.bytes);
    return fit_.init_parallel(seed, oversampling, rounds);
  }
  std::vector<float> init_random(std::uint64_t seed) override {
    announce("fit.random", seed_args(seed));
    return fit_.init_random(seed);
  }
  KMeansResult lloyd(std::vector<float> start, double tol_abs) override {
    Writer w;
    w.put(tol_abs);
    w.put_array(start.data(), start.size());
    announce("fit.lloyd", w.bytes);
    return fit_.lloyd(std::move(start), tol_abs);
  }

 private:
  static std::string seed_args(std::uint64_t seed) {
    Writer w;
    w.put(seed);
    return w.bytes;
  }
  BlockFit fit_;
};

// The CPU backend with SpreadEngine as its k-means engine; everything else is the CPU's.
class SpreadBackend final : public Backend {
 public:
  explicit SpreadBackend(std::unique_ptr<Backend> cpu) : Backend(0), cpu_(std::move(cpu)) {}
  std::string name() const override { return cpu_->name(); }
  std::string description() const override {
    return cpu_->description() + ", k-means over " + std::to_string(size()) + " MPI ranks";
  }
  FeatureStageResult features(EventSource& events, const FeatureStageOptions& options,
                              UserTable* base) override {
    return cpu_->features(events, options, base);
  }
  FeatureMatrix scale(const FeatureMatrix& raw, const TransformOptions& transform,
                      Scaler* scaler) override {
    return cpu_->scale(raw, transform, scaler);
  }

 protected:
  std::unique_ptr<KMeansEngine> kmeans_engine() override {
    return std::make_unique<SpreadEngine>();
  }
  void assign_rows(MatrixView x, const float* centroids, int k, std::int32_t* labels,
                   float* distances) override {
    cpu_->assign(x, centroids, k, labels, distances);
  }

 private:
  std::unique_ptr<Backend> cpu_;
};

// A follower's side of one fit step.
void follow_fit(const std::string& op, const std::string& args, BlockFit& fit) {
  Unpacker u(args);
  if (op == "fit.prepare") {
    fit.prepare(MatrixView{}, nullptr, read_fit_params(args));
  } else if (op == "fit.variance") {
    fit.variance_sum();
  } else if (op == "fit.plus_plus") {
    fit.init_plus_plus(u.get<std::uint64_t>());
  } else if (op == "fit.random") {
    fit.init_random(u.get<std::uint64_t>());
  } else if (op == "fit.parallel") {
    const auto seed = u.get<std::uint64_t>();
    const auto over = u.get<double>();
    fit.init_parallel(seed, over, u.get<std::int32_t>());
  } else if (op == "fit.lloyd") {
    const auto tol = u.get<double>();
    std::vector<float> start((args.size() - sizeof(double)) / sizeof(float));
    u.get_array(start.data(), start.size());
    fit.lloyd(std::move(start), tol);
  } else {
    throw RuntimeError("unknown step '" + op + "' from rank 0");
  }
}

}  // namespace

void announce(const std::string& op, std::string args) {
  std::string step = op;
  broadcast(step);
  broadcast(args);
}

void followers_listen() { g_listening = true; }
bool followers_listening() { return g_listening; }

void follow(const nightly::NightlyOptions* night) {
  BlockFit fit;
  OwnedUsers owned;
  pipeline::RunRecord record;
  for (;;) {
    std::string op, args;
    broadcast(op);
    if (op == "end") return;
    broadcast(args);
    if ((op == "night.merge" || op == "night.save") && !night) {
      throw RuntimeError("rank 0 announced '" + op + "' outside a night");
    }
    if (op == "night.merge")
      night_merge(record, *night, args, owned);
    else if (op == "night.save")
      night_save(args, owned);
    else if (op == "mpi.traffic")
      report_traffic();
    else
      follow_fit(op, args, fit);
  }
}

std::unique_ptr<Backend> spread_fits(std::unique_ptr<Backend> backend) {
  if (!active() || backend->name() != "cpu") return backend;
  return std::make_unique<SpreadBackend>(std::move(backend));
}

}  // namespace segmint::dist
