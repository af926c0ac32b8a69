// The run record for Python: events (paths or an Arrow C stream capsule) -> features ->
// segments, or into a saved model's segments, composed from the same steps and option parsers
// as `segmint features`, `run` and `assign`; results handed out as numpy views and the CLI's texts.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include <cxxopts.hpp>
#include <memory>
#include <string>
#include <vector>

#include "bind_common.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "ingest/parquet_hook.hpp"
#include "outputs/model.hpp"
#include "pipeline/run_record.hpp"
#include "segmint/arrow_c.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint::python {
namespace {

/// One run: what the record holds after `features`, `run` or `assign`.
struct Run {
  pipeline::RunRecord rec;
  std::string mode;                ///< "features", "segment" or "assign"
  pipeline::Model assigned_model;  ///< the model of an assign run
};

/// The options of `segmint run` (ingest, features, k-means), parsed by the CLI's parsers from
/// CLI-style arguments, so that every value means, and every mistake reads, the same.
struct Parsed {
  IngestOptions ingest;
  cli::FeatureCliOptions feat;
  cli::KMeansCliOptions km;
};

Parsed parse_args(std::vector<std::string> args) {
  cxxopts::Options options("segmint", "");
  cli::add_common_options(options);
  cli::add_ingest_options(options);
  cli::add_feature_options(options);
  cli::add_kmeans_options(options);
  args.insert(args.begin(), "segmint");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  cli::rewrite_long_k(argc, argv.data());
  cxxopts::ParseResult r;
  cli::parse_or_help(options, argc, argv.data(), r);  // also applies --quiet
  Parsed p{cli::ingest_options_from(r), cli::feature_options_from(r), cli::kmeans_options_from(r)};
  if (p.ingest.threads == 0) p.ingest.threads = p.km.params.threads;
  if (p.feat.aggregate.threads == 0) p.feat.aggregate.threads = p.km.params.threads;
  return p;
}

/// Paths (list of str) through open_events, or an "arrow_array_stream" capsule.
std::unique_ptr<EventSource> open_source(nb::handle source, const std::string& name,
                                         const IngestOptions& ingest, UserDictionary& users) {
  if (nb::isinstance<nb::capsule>(source)) {
    auto* stream =
        static_cast<ArrowArrayStream*>(PyCapsule_GetPointer(source.ptr(), "arrow_array_stream"));
    if (!stream) throw nb::python_error();
    return open_arrow_events(stream, ingest, users, name);
  }
  return open_events(nb::cast<std::vector<std::string>>(source), ingest, users);
}

/// The Parquet reader of the Python module: the file's batches through pyarrow
/// (segmint._events._parquet_stream), read by open_arrow_events like any other Arrow stream.
std::unique_ptr<EventSource> open_parquet_with_pyarrow(const std::string& path,
                                                       const IngestOptions& options,
                                                       UserDictionary& users) {
  nb::gil_scoped_acquire gil;
  ArrowArrayStream* stream = nullptr;
  nb::object capsule;
  try {
    capsule =
        nb::module_::import_("segmint._events").attr("_parquet_stream")(path, options.batch_rows);
    stream =
        static_cast<ArrowArrayStream*>(PyCapsule_GetPointer(capsule.ptr(), "arrow_array_stream"));
    if (!stream) throw nb::python_error();
  } catch (nb::python_error& e) {
    throw InputError(path, 0, std::string("cannot read as Parquet: ") + e.what());
  }
  return open_arrow_events(stream, options, users, path);
}

std::unique_ptr<Run> run_events(nb::handle source, const std::string& name,
                                std::vector<std::string> args, const std::string& mode) {
  const Parsed p = parse_args(std::move(args));
  auto run = std::make_unique<Run>();
  run->mode = mode;
  pipeline::RunRecord& rec = run->rec;
  const bool features_only = mode == "features";
  if (features_only)
    cli::open_backend(rec, DeviceChoice::cpu, 0);  // as `segmint features`
  else
    cli::open_backend(rec, p.km);
  std::unique_ptr<EventSource> events = open_source(source, name, p.ingest, rec.users);
  without_gil([&] {
    pipeline::read_features(rec, *events, p.feat.aggregate, p.feat.features);
    events.reset();
    if (features_only) return;
    pipeline::scale(rec, p.feat.transform);
    cli::prepare_fit(rec, p.km);
    pipeline::segment(rec);
    pipeline::describe(rec);
  });
  return run;
}

std::unique_ptr<Run> assign_events(nb::handle source, const std::string& name,
                                   std::vector<std::string> args, const std::string& model_json,
                                   const std::string& model_name) {
  const Parsed p = parse_args(std::move(args));
  auto run = std::make_unique<Run>();
  run->mode = "assign";
  pipeline::Model& model = run->assigned_model;
  model = pipeline::model_from_json(model_json, model_name);
  if (model.source != "events") {
    throw InputError(model_name, 0,
                     "this model was fitted on a feature matrix (segmint "
                     "cluster), not on events; assign needs a model from run");
  }
  pipeline::RunRecord& rec = run->rec;
  AggregateOptions aggregate = model.aggregate;
  aggregate.threads = p.km.params.threads;
  cli::open_backend(rec, p.km.device, p.km.params.threads);
  std::unique_ptr<EventSource> events = open_source(source, name, p.ingest, rec.users);
  without_gil([&] {
    pipeline::read_features(rec, *events, aggregate, {});
    events.reset();
    if (rec.raw.names != model.feature_catalog) {
      throw InputError(model_name, 0,
                       "the model was built with other features than this "
                       "segmint computes; rerun `segmint run` to refit it");
    }
    pipeline::scale_with(rec, model.scaler, model.transform);
    pipeline::assign_to_model(rec, model);
  });
  return run;
}

template <typename T>
nb::ndarray<nb::numpy, const T> view(const std::vector<T>& v,
                                     std::initializer_list<std::size_t> shape) {
  return nb::ndarray<nb::numpy, const T>(v.data(), shape.size(), shape.begin(), nb::handle());
}

/// User ids of the rows as one UTF-8 blob and n + 1 offsets (an Arrow string array's buffers).
nb::tuple user_ids(const Run& run) {
  const std::vector<std::string>& ids = run.rec.row_ids();
  std::vector<std::int64_t> offsets(ids.size() + 1, 0);
  std::string blob;
  for (std::size_t i = 0; i < ids.size(); ++i) offsets[i + 1] = offsets[i] + ids[i].size();
  blob.reserve(static_cast<std::size_t>(offsets.back()));
  for (const auto& id : ids) blob += id;
  return nb::make_tuple(nb::bytes(blob.data(), blob.size()),
                        to_numpy(std::move(offsets), {ids.size() + 1}));
}

nb::dict profiles(const Run& run) {
  const pipeline::Profiles& pr = run.rec.seg.profiles;
  const std::size_t k = pr.segments.size(), d = pr.features.size();
  std::vector<double> mean(k * d), z(k * d), share(k);
  std::vector<std::int64_t> size(k);
  for (std::size_t c = 0; c < k; ++c) {
    size[c] = pr.segments[c].size;
    share[c] = pr.segments[c].share;
    for (std::size_t j = 0; j < d; ++j) {
      mean[c * d + j] = pr.segments[c].mean[j];
      z[c * d + j] = pr.segments[c].z[j];
    }
  }
  nb::dict out;
  out["features"] = pr.features;
  out["size"] = to_numpy(std::move(size), {k});
  out["share"] = to_numpy(std::move(share), {k});
  out["mean"] = to_numpy(std::move(mean), {k, d});
  out["z"] = to_numpy(std::move(z), {k, d});
  return out;
}

const pipeline::Model& model_of(const Run& run) {
  return run.mode == "assign" ? run.assigned_model : run.rec.model;
}

// The Run class: views of the record and the CLI's texts.
void bind_run_class(nb::module_& m) {
  nb::class_<Run>(m, "Run", "What one run produced (segmint.features / segment / Model.assign).")
      .def_ro("mode", &Run::mode)
      .def_prop_ro("as_of", [](const Run& r) { return r.rec.as_of; })
      .def_prop_ro("feature_names", [](const Run& r) { return r.rec.raw.names; })
      .def_prop_ro(
          "raw",
          [](const Run& r) {
            return view(r.rec.raw.values, {r.rec.raw.rows, r.rec.raw.cols});
          },
          nb::rv_policy::reference_internal, "n x D raw features (original units), a view")
      .def_prop_ro(
          "labels",
          [](const Run& r) { return view(r.rec.seg.fit.labels, {r.rec.seg.fit.labels.size()}); },
          nb::rv_policy::reference_internal, "centroid row of each user (row order)")
      .def_prop_ro(
          "distances",
          [](const Run& r) {
            return view(r.rec.seg.fit.distances, {r.rec.seg.fit.distances.size()});
          },
          nb::rv_policy::reference_internal)
      .def_prop_ro("segment_names", [](const Run& r) { return model_of(r).names; })
      .def_prop_ro("segment_ids",
                   [](const Run& r) {
                     std::vector<int> ids;
                     for (int c = 0; c < model_of(r).k; ++c)
                       ids.push_back(pipeline::segment_id(model_of(r), c));
                     return ids;
                   })
      .def("user_ids", &user_ids)
      .def(
          "sorted_order",
          [](const Run& r) {
            std::vector<std::uint32_t> order = r.rec.source == "events"
                                                   ? r.rec.users.sorted_order()
                                                   : std::vector<std::uint32_t>();
            const std::size_t n = order.size();
            return to_numpy(std::move(order), {n});
          },
          "row indices sorted by user id bytewise: the row order of every file the CLI writes")
      .def("profiles", &profiles)
      .def("counts",
           [](const Run& r) {
             const IngestCounts& c = r.rec.counts;
             nb::dict d;
             d["rows"] = c.rows;
             d["events"] = c.events;
             d["bad_rows"] = c.bad_rows;
             d["rows_without_user"] = c.rows_without_user;
             d["users"] = r.rec.users.size();
             d["min_time"] = c.min_time;
             d["max_time"] = c.max_time;
             return d;
           })
      .def("model_json", [](const Run& r) { return pipeline::model_to_json(model_of(r)); })
      .def("summary_json", [](const Run& r) { return pipeline::summary_json(r.rec.summary); })
      .def("centroids_csv",
           [](const Run& r) {
             return pipeline::centroids_csv(r.rec.seg.profiles, r.rec.seg.names, r.rec.segment_ids);
           })
      .def("assignments_csv",
           [](const Run& r) {
             const pipeline::Model& mo = model_of(r);
             return pipeline::assignments_csv(r.rec.row_ids(), r.rec.seg.fit.labels,
                                              r.rec.seg.fit.distances, mo.names, mo.segment_ids);
           })
      .def("features_csv", [](const Run& r) { return features_csv(r.rec.raw, r.rec.users); })
      .def(
          "write",
          [](Run& r, const std::string& dir) {
            without_gil([&] { pipeline::write_run(r.rec, dir); });
          },
          nb::arg("dir"),
          "writes assignments.csv, centroids.csv, summary.json and model.json "
          "into dir, atomically, exactly as `segmint run --out dir`");
}

}  // namespace

void bind_run(nb::module_& m) {
  bind_run_class(m);
  ingest::set_parquet_opener(&open_parquet_with_pyarrow);
  m.def("run_events", &run_events, nb::arg("source"), nb::arg("name"), nb::arg("args"),
        nb::arg("mode"),
        "features or segment (= segmint features / run) over event files or an "
        "Arrow C stream capsule; args are the CLI's options");
  m.def("assign_events", &assign_events, nb::arg("source"), nb::arg("name"), nb::arg("args"),
        nb::arg("model_json"), nb::arg("model_name"), "segmint assign with a model.json text");
  m.def(
      "validate_model",
      [](const std::string& text, const std::string& name) {
        pipeline::model_from_json(text, name);
      },
      "parses a model.json text (ValueError naming `name` when it is not one)");
}

}  // namespace segmint::python
