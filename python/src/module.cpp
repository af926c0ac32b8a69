// segmint._core: the native half of the Python package (k-means, the run record over event
// sources, model assign); the Pythonic layer is python/segmint/.
#include "bind_common.hpp"
#include "segmint/backend.hpp"

NB_MODULE(_core, m) {
  namespace py = segmint::python;
  m.doc() = "segmint native core (use the segmint package, not this module)";
  py::register_errors(m);
  py::bind_kmeans(m);
  py::bind_run(m);
  m.def("cuda_compiled", &segmint::cuda_backend_compiled,
        "True when this build has the CUDA backend compiled in.");
}
