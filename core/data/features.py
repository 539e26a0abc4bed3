"""Input features computed from the two coordinates, as in TF Playground's feature column.

A network that only sees x1 and x2 must learn curved boundaries itself; giving it x1^2 + x2^2
(through the x1^2 and x2^2 features) makes "circles" solvable by a single neuron.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from core.data.errors import DataError

FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")

FEATURE_LABELS = MappingProxyType(
    {
        "x1": "x₁",
        "x2": "x₂",
        "x1^2": "x₁²",
        "x2^2": "x₂²",
        "x1*x2": "x₁x₂",
        "sin(x1)": "sin x₁",
        "sin(x2)": "sin x₂",
    }
)

_FORMULAS = MappingProxyType(
    {
        "x1": lambda x1, x2: x1,
        "x2": lambda x1, x2: x2,
        "x1^2": lambda x1, x2: x1 * x1,
        "x2^2": lambda x1, x2: x2 * x2,
        "x1*x2": lambda x1, x2: x1 * x2,
        "sin(x1)": lambda x1, x2: np.sin(x1),
        "sin(x2)": lambda x1, x2: np.sin(x2),
    }
)


def expand_features(X, names) -> np.ndarray:
    """Return the (n, k) float32 matrix whose columns are the features `names` of the points X (n, 2).

    Example: expand_features([[2, 3]], ["x1*x2", "x1^2"]) -> [[6, 4]].
    """
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        raise DataError(f"choose at least one feature from: {', '.join(FEATURES)}.")
    for name in names:
        if name not in _FORMULAS:
            raise DataError(f"unknown feature {name!r}; choose from: {', '.join(FEATURES)}.")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise DataError(f"feature {repeated[0]!r} is listed more than once.")
    try:
        X = np.asarray(X, dtype=np.float32)
    except (TypeError, ValueError):
        raise DataError("X must be an (n, 2) array of numbers.") from None
    if X.ndim != 2 or X.shape[1] != 2:
        raise DataError(f"X must have shape (n, 2): one row per point, columns x1 and x2; got {X.shape}.")
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([_FORMULAS[name](x1, x2) for name in names]).astype(np.float32, copy=False)
