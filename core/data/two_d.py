"""Two-feature data sets (points in the plane) for the playground.

`make_dataset("circles", n_samples=500, noise=0.1, seed=0)` returns a `Dataset2D` with a
seeded train/test split (stratified for classification). `DATASETS` lists every generator with
its task, a one-line description and its extra options; `from_points` turns points a student
clicked on the canvas into a data set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from core.data import generators
from core.data.arrays import frozen_array
from core.data.errors import DataError
from core.data.labels import encode_labels
from core.data.split import check_test_ratio, split_indices
from core.data.validation import check_float, check_int, check_seed

TASKS = ("binary", "multiclass", "regression")
N_SAMPLES_MIN, N_SAMPLES_MAX = 50, 5000
NOISE_MIN, NOISE_MAX = 0.0, 1.0
FROM_POINTS_MIN = 4  # click-to-add needs at least 2 points per class anyway


@dataclass(frozen=True, eq=False)
class Dataset2D:
    """A 2-D data set split into training and test parts.

    X_* are float32 of shape (n, 2). y_* are int64 class ids 0..n_classes-1 for "binary" and
    "multiclass", float32 targets for "regression" (n_classes = 0, class_names = ()).
    `params` records how it was made (generator name, n_samples, noise, seed, options ...).
    The arrays are read-only.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    task: str
    n_classes: int
    class_names: tuple[str, ...]
    name: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.task not in TASKS:
            raise DataError(f"task must be one of {TASKS}; got {self.task!r}.")
        y_dtype = np.float32 if self.task == "regression" else np.int64
        for part in ("train", "test"):
            X = frozen_array(getattr(self, f"X_{part}"), np.float32)
            y = frozen_array(getattr(self, f"y_{part}"), y_dtype)
            if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
                raise DataError(
                    f"X_{part} must have shape (n, 2) and y_{part} shape (n,); got {X.shape} and {y.shape}."
                )
            object.__setattr__(self, f"X_{part}", X)
            object.__setattr__(self, f"y_{part}", y)
        expected_classes = 0 if self.task == "regression" else len(self.class_names)
        if self.n_classes != expected_classes:
            raise DataError(
                f"n_classes ({self.n_classes}) must equal the number of class names "
                f"({len(self.class_names)}), and be 0 for regression."
            )
        object.__setattr__(self, "class_names", tuple(self.class_names))

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    @property
    def n_test(self) -> int:
        return self.X_test.shape[0]


@dataclass(frozen=True)
class IntOption:
    """An extra whole-number option of one generator, e.g. the number of spiral arms."""

    default: int
    low: int
    high: int
    description: str


@dataclass(frozen=True)
class DatasetSpec:
    """One entry of `DATASETS`: how to make a data set and what it is."""

    generator: Callable
    task: str  # the task with default options (blobs/spiral become multiclass with > 2 classes)
    description: str
    options: Mapping[str, IntOption] = field(default_factory=lambda: MappingProxyType({}))
    classes_option: str | None = None  # the option giving the number of classes (else 2)


DATASETS: Mapping[str, DatasetSpec] = MappingProxyType(
    {
        "circles": DatasetSpec(
            generators.circles, "binary", "A disc inside a ring; noise flips labels near the circle r = 2.5."
        ),
        "xor": DatasetSpec(
            generators.xor, "binary", "Four squares, class = sign of x*y; no straight line separates them."
        ),
        "gaussians": DatasetSpec(
            generators.gaussians, "binary", "Two round clouds; more noise = wider clouds that overlap."
        ),
        "spiral": DatasetSpec(
            generators.spiral,
            "binary",
            "Interleaved spiral arms, one class each; hard for small networks.",
            MappingProxyType({"arms": IntOption(2, 2, 4, "number of arms (classes)")}),
            classes_option="arms",
        ),
        "moons": DatasetSpec(
            generators.moons, "binary", "Two interleaving half circles (scikit-learn's make_moons)."
        ),
        "blobs": DatasetSpec(
            generators.blobs,
            "multiclass",
            "Round clusters, one per class (scikit-learn's make_blobs).",
            MappingProxyType({"n_classes": IntOption(3, 2, 6, "number of clusters")}),
            classes_option="n_classes",
        ),
        "plane": DatasetSpec(
            generators.plane,
            "regression",
            "Regression: the target rises linearly from one corner to the other.",
        ),
        "multi_gaussian": DatasetSpec(
            generators.multi_gaussian,
            "regression",
            "Regression: six bumps of height +1 or -1 on a flat plain.",
        ),
    }
)


def _check_options(name: str, spec: DatasetSpec, options: dict) -> dict:
    unknown = sorted(set(options) - set(spec.options))
    if unknown:
        allowed = ", ".join(spec.options) or "none"
        raise DataError(f"data set {name!r} has no option {unknown[0]!r}; its options: {allowed}.")
    return {
        key: check_int(key, options.get(key, opt.default), opt.low, opt.high)
        for key, opt in spec.options.items()
    }


def make_dataset(
    name: str, n_samples: int = 500, noise: float = 0.1, seed: int = 0, test_ratio: float = 0.5, **options
) -> Dataset2D:
    """Generate the data set `name` (a key of DATASETS) and split it into train and test.

    n_samples 50..5000, noise 0..1 (meaning per generator: see core/data/generators.py),
    test_ratio 0.1..0.9, seed >= 0. Same arguments -> same data, bit for bit.
    """
    if not isinstance(name, str) or name not in DATASETS:
        raise DataError(f"unknown data set {name!r}; choose one of: {', '.join(DATASETS)}.")
    spec = DATASETS[name]
    n_samples = check_int("n_samples", n_samples, N_SAMPLES_MIN, N_SAMPLES_MAX)
    noise = check_float("noise", noise, NOISE_MIN, NOISE_MAX)
    seed = check_seed(seed)
    test_ratio = check_test_ratio(test_ratio)
    options = _check_options(name, spec, options)

    rng = np.random.default_rng(seed)
    X, y = spec.generator(rng, n_samples, noise, **options)
    if spec.task == "regression":
        task, n_classes, class_names = "regression", 0, ()
    else:
        n_classes = options[spec.classes_option] if spec.classes_option else 2
        task = "binary" if n_classes == 2 else "multiclass"
        class_names = tuple(f"class {k}" for k in range(n_classes))
    train, test = split_indices(y, test_ratio, rng, stratify=task != "regression")
    params = {
        "generator": name,
        "n_samples": n_samples,
        "noise": noise,
        "seed": seed,
        "test_ratio": test_ratio,
        **options,
    }
    return Dataset2D(X[train], y[train], X[test], y[test], task, n_classes, class_names, name, params)


def from_points(points, seed: int = 0, test_ratio: float = 0.5, name: str = "your points") -> Dataset2D:
    """Make a data set from clicked points: a sequence of (x, y, label) triples.

    Whole-number labels (0, 1, 2 ...) give classification (2..10 classes, each with at least 2
    points); other numbers give regression. 4..5000 points, all finite. test_ratio=0: every point
    is a training point and the test set is empty (the Playground's "Your points": a student who
    adds a point sees it train).
    """
    seed = check_seed(seed)
    if test_ratio != 0:
        test_ratio = check_test_ratio(test_ratio)
    try:
        array = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError("points must be a list of (x, y, label) triples of numbers.") from None
    if array.size == 0:
        raise DataError(f"need from {FROM_POINTS_MIN} to {N_SAMPLES_MAX} points; got 0.")
    if array.ndim != 2 or array.shape[1] != 3:
        raise DataError(
            f"points must be a list of (x, y, label) triples; got an array of shape {array.shape}."
        )
    n = array.shape[0]
    if not FROM_POINTS_MIN <= n <= N_SAMPLES_MAX:
        raise DataError(f"need from {FROM_POINTS_MIN} to {N_SAMPLES_MAX} points; got {n}.")
    finite = np.isfinite(array).all(axis=1)
    if not finite.all():
        i = int(np.argmin(finite))
        raise DataError(f"point {i + 1} {tuple(array[i])} is not finite; every value must be a number.")
    task, y, class_names = encode_labels(array[:, 2], "auto", lambda i: f"point {i + 1}")
    rng = np.random.default_rng(seed)
    if test_ratio == 0:
        train, test = np.arange(n), np.arange(0)
    else:
        train, test = split_indices(y, test_ratio, rng, stratify=task != "regression")
    X = array[:, :2]
    params = {"source": "points", "n_samples": n, "seed": seed, "test_ratio": test_ratio}
    return Dataset2D(X[train], y[train], X[test], y[test], task, len(class_names), class_names, name, params)
