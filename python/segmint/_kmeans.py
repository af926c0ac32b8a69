"""segmint.KMeans: scikit-learn's KMeans interface over the segmint core (CPU or GPU)."""
import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight, check_array, check_is_fitted, validate_data

from . import _core

_INITS = ("k-means++", "k-means||", "random")


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """K-means clustering (Lloyd) on the segmint core, with scikit-learn's semantics.

    Parameters
    ----------
    n_clusters : int, default=8
    init : {'k-means++', 'k-means||', 'random'} or array of shape (n_clusters, n_features)
    n_init : 'auto' or int, default='auto'
        Restarts from different seeds, the lowest inertia kept ('auto': 1, or 10 for 'random';
        always 1 for an array init).
    max_iter : int, default=300
    tol : float, default=1e-4
        Relative tolerance on the squared centroid shift (as scikit-learn).
    random_state : int, RandomState instance or None
        An int is the core's seed as it is (``segmint run --seed``).
    device : {'auto', 'cpu', 'gpu'}, default='auto'
    n_threads : int or None, default=None
        CPU threads (None: all). Results never depend on it.

    float32 C-ordered input reaches the core without a copy; other input is converted once.
    """

    def __init__(self, n_clusters=8, *, init="k-means++", n_init="auto", max_iter=300, tol=1e-4,
                 random_state=None, device="auto", n_threads=None):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.device = device
        self.n_threads = n_threads

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def _check_params(self, X):
        n, d = X.shape
        if not isinstance(self.n_clusters, numbers.Integral) or self.n_clusters < 1:
            raise ValueError(f"n_clusters must be an int >= 1, got {self.n_clusters!r}.")
        if n < self.n_clusters:
            raise ValueError(f"n_samples={n} should be >= n_clusters={self.n_clusters}.")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < 1:
            raise ValueError(f"max_iter must be an int >= 1, got {self.max_iter!r}.")
        if not isinstance(self.tol, numbers.Real) or self.tol < 0:
            raise ValueError(f"tol must be a float >= 0, got {self.tol!r}.")
        if self.device not in ("auto", "cpu", "gpu"):
            raise ValueError(f"device must be 'auto', 'cpu' or 'gpu', got {self.device!r}.")
        if isinstance(self.init, str):
            if self.init not in _INITS:
                raise ValueError(f"init must be one of {_INITS} or an array, got {self.init!r}.")
            init, centers = self.init, None
        else:
            centers = check_array(self.init, dtype=np.float32, order="C", copy=True)
            if centers.shape != (self.n_clusters, d):
                raise ValueError(f"The shape of the initial centers {centers.shape} does not "
                                 f"match the number of clusters {self.n_clusters} and features {d}.")
            init = "given"
        if self.n_init == "auto":
            n_init = 10 if init == "random" else 1
        elif isinstance(self.n_init, numbers.Integral) and self.n_init >= 1:
            n_init = int(self.n_init)
        else:
            raise ValueError(f"n_init must be 'auto' or an int >= 1, got {self.n_init!r}.")
        return init, centers, n_init

    def _seed(self):
        rs = self.random_state
        if isinstance(rs, numbers.Integral) and rs >= 0:
            return int(rs)
        return int(check_random_state(rs).randint(np.iinfo(np.int32).max))

    def _threads(self):
        return 0 if self.n_threads is None else int(self.n_threads)

    def fit(self, X, y=None, sample_weight=None):
        """Computes the clustering of X (n_samples, n_features)."""
        X = validate_data(self, X, dtype=np.float32, order="C", accept_sparse=False)
        init, centers, n_init = self._check_params(X)
        weights = None
        if sample_weight is not None:
            weights = np.ascontiguousarray(_check_sample_weight(sample_weight, X, dtype=np.float32))
        r = _core.kmeans_fit(X, weights, int(self.n_clusters), init, centers, n_init,
                             int(self.max_iter), float(self.tol), self._seed(), self.device,
                             self._threads())
        self.cluster_centers_ = r["centers"]
        self.labels_ = r["labels"]
        self.inertia_ = float(r["inertia"])
        self.n_iter_ = int(r["n_iter"])
        self.device_ = r["device"]
        return self

    def _assign(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float32, order="C", accept_sparse=False, reset=False)
        centers = np.ascontiguousarray(self.cluster_centers_, dtype=np.float32)
        return _core.kmeans_assign(X, centers, self.device, self._threads())

    def predict(self, X):
        """Index of the nearest cluster center for each row of X."""
        return self._assign(X)[0]

    def fit_predict(self, X, y=None, sample_weight=None):
        return self.fit(X, sample_weight=sample_weight).labels_

    def transform(self, X):
        """Distances of each row of X to every cluster center (n_samples, n_clusters)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], accept_sparse=False,
                          reset=False)
        return euclidean_distances(X, self.cluster_centers_.astype(X.dtype, copy=False))

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the (weighted) sum of squared distances of X to its nearest centers."""
        _, distances = self._assign(X)
        d2 = distances.astype(np.float64) ** 2
        if sample_weight is not None:
            d2 *= _check_sample_weight(sample_weight, d2[:, None], dtype=np.float64)
        return -float(d2.sum())
