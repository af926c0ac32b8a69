"""segmint.features / segmint.segment: event tables or files in, the CLI's outputs as Arrow tables.

Options are handed to the core as the CLI's own flags and parsed by the CLI's parsers, so every
value means, and every mistake reads, exactly as it does for ``segmint run``.
"""
import io
import json
import os

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from . import _core


def _parquet_stream(path, batch_rows):
    """An Arrow C stream capsule over one Parquet file (the core's Parquet reader here)."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    batches = pf.iter_batches(batch_size=int(batch_rows))
    return pa.RecordBatchReader.from_batches(pf.schema_arrow, batches).__arrow_c_stream__()


def _source(events):
    """(source, name): a list of paths for the core's readers, or an Arrow C stream capsule."""
    if isinstance(events, (str, os.PathLike)):
        events = [events]
    if isinstance(events, (list, tuple)) and all(isinstance(p, (str, os.PathLike)) for p in events):
        if not events:
            raise ValueError("no event files given")
        return [os.fspath(p) for p in events], None
    kind = f"{type(events).__module__.split('.')[0]}.{type(events).__name__}"
    if hasattr(events, "__arrow_c_stream__"):
        return events.__arrow_c_stream__(), kind
    if type(events).__module__.startswith("pandas"):  # pandas < 2.2 has no PyCapsule export
        return pa.Table.from_pandas(events, preserve_index=False).__arrow_c_stream__(), kind
    raise TypeError("events must be a path, a list of paths, or a table with "
                    f"__arrow_c_stream__ (pandas, polars, pyarrow), not {kind}")


def _pairs(mapping):
    return ",".join(f"{k}={v}" for k, v in dict(mapping).items())


def _args(schema="auto", mapping=None, type_map=None, as_of=None, session_gap=None,
          tz_offset=None, on_bad_row="fail", batch_rows=None, threads=None, verbose=False, **fit):
    """The CLI flags of the given options (None: the CLI's default). Not verbose: --quiet (only
    warnings and errors on stderr)."""
    a = ["--schema", str(schema), "--on-bad-row", str(on_bad_row)] + ([] if verbose else ["--quiet"])
    flags = {"map": _pairs(mapping) if mapping else None,
             "type-map": _pairs(type_map) if type_map else None,
             "as-of": as_of, "session-gap": session_gap, "tz-offset": tz_offset,
             "batch-rows": batch_rows, "threads": threads}
    flags.update(fit)
    for name, value in flags.items():
        if value is not None:
            a += [f"--{name}", str(value)]
    return a


def _id_array(run):
    blob, offsets = run.user_ids()
    return pa.Array.from_buffers(pa.large_string(), len(offsets) - 1,
                                 [None, pa.py_buffer(offsets), pa.py_buffer(blob)])


def _feature_table(run, order):
    cols = {"user_id": _id_array(run).take(order)}
    raw = run.raw
    for j, name in enumerate(run.feature_names):
        cols[name] = pa.array(raw[order, j])
    return pa.table(cols)


def _assignments(run, order):
    labels = np.asarray(run.labels)[order]
    ids = np.asarray(run.segment_ids, dtype=np.int32)
    names = pa.array(run.segment_names, pa.string())
    return pa.table({"user_id": _id_array(run).take(order),
                     "segment": pa.array(ids[labels]),
                     "segment_name": names.take(pa.array(labels)),
                     "distance": pa.array(np.asarray(run.distances)[order])})


def features(events, *, schema="auto", mapping=None, type_map=None, as_of=None,
             session_gap=None, tz_offset=None, on_bad_row="fail", threads=None, verbose=False):
    """Per-user raw feature table (``segmint features``): ``user_id`` then one column per
    feature, users sorted by id. Returns a pyarrow.Table (``.to_pandas()`` for pandas).

    schema: 'auto', 'rees46', 'online-retail', 'taobao', 'retailrocket' or 'custom';
    mapping: {field: column} (fields user, time, type, amount, quantity, price, item, category,
    session, order); type_map: {raw value: canonical type}; as_of: 'YYYY-MM-DD' or unix seconds;
    session_gap: minutes; tz_offset: '+HH:MM' or minutes; on_bad_row: 'fail' or 'skip';
    verbose: the CLI's info lines and progress on stderr (default: warnings and errors only).
    Bad input raises ValueError with the CLI's 'file:line: what' text.
    """
    source, name = _source(events)
    args = _args(schema, mapping, type_map, as_of, session_gap, tz_offset, on_bad_row,
                 threads=threads, verbose=verbose)
    run = _core.run_events(source, name or "events", args, "features")
    return _feature_table(run, run.sorted_order())


class Segmentation:
    """What ``segmint run`` writes, in memory: ``assignments`` (user_id, segment, segment_name,
    distance; users sorted by id), ``centroids`` (segment, segment_name, size, per-feature means
    in original units), ``profiles`` (per segment: size, share and per-feature z-scores),
    ``features`` (the raw per-user table), ``model`` (a :class:`segmint.Model`) and ``summary``
    (summary.json as a dict). ``save(dir)`` writes the CLI's four files, byte for byte."""

    def __init__(self, run):
        from ._model import Model

        self._run = run
        order = run.sorted_order()
        self.assignments = _assignments(run, order)
        self.centroids = pacsv.read_csv(io.BytesIO(run.centroids_csv().encode()))
        self.features = _feature_table(run, order)
        self.model = Model(run.model_json())
        self.summary = json.loads(run.summary_json())
        self.profiles = self._profiles(run.profiles())

    def _profiles(self, p):
        cols = {"segment": pa.array(np.asarray(self._run.segment_ids, dtype=np.int32)),
                "segment_name": pa.array(self._run.segment_names, pa.string()),
                "size": pa.array(p["size"]), "share": pa.array(p["share"])}
        for j, name in enumerate(p["features"]):
            cols[f"z_{name}"] = pa.array(p["z"][:, j])
        return pa.table(cols)

    @property
    def segment_names(self):
        return list(self._run.segment_names)

    def save(self, directory):
        """Writes assignments.csv, centroids.csv, summary.json and model.json (atomically)."""
        self._run.write(os.fspath(directory))

    def __repr__(self):
        return (f"Segmentation(k={len(self.segment_names)}, users={self.assignments.num_rows}, "
                f"segments={self.segment_names})")


def segment(events, k=8, *, schema="auto", mapping=None, type_map=None, as_of=None,
            session_gap=None, tz_offset=None, features=None, weights=None,
            transform="log1p-zscore", init="k-means++", n_init=4, max_iter=300, tol=1e-4,
            seed=0, device="auto", threads=None, weight_by=None, on_bad_row="fail",
            verbose=False):
    """Events -> features -> k-means -> named segments (``segmint run``), as a
    :class:`Segmentation`. Same defaults as the CLI; ``features`` selects groups or feature
    names, ``weights`` is {feature: multiplier}, ``init`` may name a centroids CSV or a
    model.json. Bad input raises ValueError with the CLI's text; a GPU failure RuntimeError."""
    source, name = _source(events)
    fit = {"k": k, "features": ",".join(features) if features else None,
           "weights": _pairs(weights) if weights else None, "transform": transform,
           "init": init, "n-init": n_init, "max-iter": max_iter, "tol": repr(float(tol)),
           "seed": seed, "device": device, "weight-by": weight_by}
    args = _args(schema, mapping, type_map, as_of, session_gap, tz_offset, on_bad_row,
                 threads=threads, verbose=verbose, **fit)
    return Segmentation(_core.run_events(source, name or "events", args, "segment"))
