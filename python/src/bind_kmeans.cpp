// k-means for segmint.KMeans: fit and assign over numpy float32 matrices handed to the backend
// in place (no copy), and the debug hook that shows which buffer reached it.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "bind_common.hpp"
#include "segmint/backend.hpp"
#include "segmint/error.hpp"

namespace segmint::python {
namespace {

using Matrix = nb::ndarray<const float, nb::ndim<2>, nb::c_contig, nb::device::cpu>;
using Vector = nb::ndarray<const float, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

// Address of the last matrix handed to Backend::kmeans / assign (tests prove zero copy with it).
std::atomic<std::uintptr_t> g_last_input{0};

InitMethod parse_init(const std::string& init) {
  if (init == "k-means++") return InitMethod::kmeans_plus_plus;
  if (init == "k-means||") return InitMethod::kmeans_parallel;
  if (init == "random") return InitMethod::random;
  if (init == "given") return InitMethod::given;
  throw UsageError("init must be 'k-means++', 'k-means||', 'random' or an array, not '" + init +
                   "'");
}

std::unique_ptr<Backend> open_backend(const std::string& device, int threads, std::string* chosen) {
  BackendOptions options;
  options.device = parse_device_choice(device);
  options.cpu_threads = threads;
  std::unique_ptr<Backend> backend = make_backend(options);
  *chosen = backend->name();
  return backend;
}

MatrixView view_of(const Matrix& x) { return {x.data(), x.shape(0), x.shape(1)}; }

nb::dict fit(const Matrix& x, std::optional<Vector> weights, int k, const std::string& init,
             std::optional<Matrix> centers, int n_init, int max_iter, double tol,
             std::uint64_t seed, const std::string& device, int threads) {
  KMeansParams p;
  p.k = k;
  p.init = parse_init(init);
  p.n_init = n_init;
  p.max_iter = max_iter;
  p.tol = tol;
  p.seed = seed;
  p.threads = threads;
  if (p.init == InitMethod::given) {
    if (!centers || centers->shape(0) != static_cast<std::size_t>(k) ||
        centers->shape(1) != x.shape(1)) {
      throw UsageError("init array must have shape (n_clusters, n_features)");
    }
    p.initial_centroids.assign(centers->data(), centers->data() + centers->size());
  }
  if (weights && weights->shape(0) != x.shape(0)) {
    throw UsageError("sample_weight must have one entry per row of X");
  }
  const MatrixView view = view_of(x);
  const float* w = weights ? weights->data() : nullptr;
  std::string chosen;
  KMeansResult r = without_gil([&] {
    std::unique_ptr<Backend> backend = open_backend(device, threads, &chosen);
    g_last_input.store(reinterpret_cast<std::uintptr_t>(view.data));
    return backend->kmeans(view, w, p);
  });
  const std::size_t n = x.shape(0), d = x.shape(1), kk = static_cast<std::size_t>(k);
  nb::dict out;
  out["centers"] = to_numpy(std::move(r.centroids), {kk, d});
  out["labels"] = to_numpy(std::move(r.labels), {n});
  out["distances"] = to_numpy(std::move(r.distances), {n});
  out["inertia"] = r.inertia;
  out["n_iter"] = r.iterations;
  out["converged"] = r.converged;
  out["best_init"] = r.best_init;
  out["device"] = chosen;
  return out;
}

nb::tuple assign(const Matrix& x, const Matrix& centers, const std::string& device, int threads) {
  if (centers.shape(1) != x.shape(1)) throw UsageError("X and the centers differ in columns");
  const std::size_t n = x.shape(0);
  std::vector<std::int32_t> labels(n);
  std::vector<float> distances(n);
  const MatrixView view = view_of(x);
  without_gil([&] {
    std::string chosen;
    std::unique_ptr<Backend> backend = open_backend(device, threads, &chosen);
    g_last_input.store(reinterpret_cast<std::uintptr_t>(view.data));
    backend->assign(view, centers.data(), static_cast<int>(centers.shape(0)), labels.data(),
                    distances.data());
  });
  return nb::make_tuple(to_numpy(std::move(labels), {n}), to_numpy(std::move(distances), {n}));
}

}  // namespace

void bind_kmeans(nb::module_& m) {
  m.def("kmeans_fit", &fit, nb::arg("x").noconvert(), nb::arg("weights").none().noconvert(),
        nb::arg("k"), nb::arg("init"), nb::arg("centers").none(), nb::arg("n_init"),
        nb::arg("max_iter"), nb::arg("tol"), nb::arg("seed"), nb::arg("device"), nb::arg("threads"),
        "Full k-means fit of x (n x d float32, C order, used in place) on the chosen backend.");
  m.def("kmeans_assign", &assign, nb::arg("x").noconvert(), nb::arg("centers"), nb::arg("device"),
        nb::arg("threads"),
        "Nearest of the centers (k x d) for every row of x: (labels int32, distances float32).");
  m.def(
      "_debug_last_input_address", [] { return g_last_input.load(); },
      "Address of the last matrix handed to the backend (zero-copy checks).");
}

}  // namespace segmint::python
