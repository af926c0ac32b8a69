"""segmint.Model: the CLI's model.json (read, written and applied by the same core code)."""
import json
import os
import tempfile

import numpy as np

from . import _core


class Model:
    """A fitted segmentation model: features, scaler, centroids and segment names, exactly the
    model.json that ``segmint run`` writes and ``segmint assign`` / ``nightly`` read."""

    def __init__(self, text, name="model.json"):
        _core.validate_model(text, name)
        self._text = text
        self._name = name
        self._doc = json.loads(text)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(f.read(), os.fspath(path))

    def save(self, path):
        """Writes model.json atomically (a temporary file renamed over `path`)."""
        path = os.fspath(path)
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".model-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self._text)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def to_json(self):
        return self._text

    @property
    def k(self):
        return int(self._doc["k"])

    @property
    def segment_names(self):
        return list(self._doc["segment_names"])

    @property
    def feature_names(self):
        """The clustered (scaled) columns, in centroid column order."""
        return list(self._doc["scaler"]["names"])

    @property
    def cluster_centers(self):
        """k x d centroids in the scaled space, segment order."""
        return np.asarray(self._doc["centroids"], dtype=np.float32).reshape(self.k, -1)

    def assign(self, events, *, schema="auto", mapping=None, type_map=None, on_bad_row="fail",
               device="auto", threads=None, verbose=False):
        """Puts the users of `events` into this model's segments (``segmint assign``): a
        pyarrow.Table user_id, segment, segment_name, distance, users sorted by id."""
        from ._events import _args, _assignments, _source

        source, name = _source(events)
        args = _args(schema, mapping, type_map, on_bad_row=on_bad_row, threads=threads,
                     verbose=verbose, device=device)
        run = _core.assign_events(source, name or "events", args, self._text, self._name)
        return _assignments(run, run.sorted_order())

    def __repr__(self):
        return f"Model(k={self.k}, segments={self.segment_names})"
