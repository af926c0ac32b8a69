"""segmint: behavioral segmentation from event logs, on the CPU or a GPU.

- ``segmint.KMeans``: a scikit-learn estimator over the segmint k-means core.
- ``segmint.features(events, ...)``: the per-user feature table (``segmint features``).
- ``segmint.segment(events, k=..., ...)``: named segments (``segmint run``), as Arrow tables and a
  :class:`Model` that reads and writes the CLI's model.json.

``events`` is a pandas or polars DataFrame, a pyarrow Table or RecordBatchReader (anything with
``__arrow_c_stream__``), or paths to CSV, CSV.gz, binary event store or Parquet files.
"""
from ._core import cuda_compiled
from ._events import Segmentation, features, segment
from ._kmeans import KMeans
from ._model import Model

__version__ = "0.1.0"
__all__ = ["KMeans", "Model", "Segmentation", "cuda_compiled", "features", "segment"]
