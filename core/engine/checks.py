"""Argument checks shared by the engine's modules: each returns the clean value or raises a
ValueError whose message names the argument, the allowed range and the value it got.

A page passes user input straight through, so these messages are what a student reads.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def is_real_number(value) -> bool:
    """Any real number type (int, float, np.int64, np.float32, ...), but not a bool: bool is an
    int subclass in Python, but True is no learning rate (np.bool_ is no number at all)."""
    return not isinstance(value, bool) and isinstance(value, numbers.Real)


def is_integer(value) -> bool:
    """Any integer type (int, np.int64, np.uint8, ...), but not a bool."""
    return not isinstance(value, bool) and isinstance(value, numbers.Integral)


def check_int(name: str, value, low: int, high: int) -> int:
    """An integer in [low, high]."""
    if not is_integer(value) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}]; got {value!r}")
    return int(value)


def check_positive_int(name: str, value) -> int:
    """An integer >= 1 (a batch size, a number of epochs)."""
    if not is_integer(value) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
    return int(value)


def check_range(name: str, value, high: float) -> float:
    """A finite number in [0, high]."""
    if not is_real_number(value) or not math.isfinite(value) or not 0 <= value <= high:
        raise ValueError(f"{name} must be a number in [0, {high}]; got {value!r}")
    return float(value)


def check_fraction(name: str, value, low: float = 0.0, high: float = 1.0) -> float:
    """A finite number in [low, high) (a momentum, a decay rate, a dropout probability)."""
    if not is_real_number(value) or not math.isfinite(value) or not low <= value < high:
        raise ValueError(f"{name} must be a number in [{low}, {high}); got {value!r}")
    return float(value)


def check_learning_rate(value) -> float:
    """A learning rate: a finite number in (0, 100]."""
    if not is_real_number(value) or not math.isfinite(value) or not 0 < value <= 100:
        raise ValueError(f"learning_rate must be a number in (0, 100]; got {value!r}")
    return float(value)


def check_samples(X, y, n_inputs: int, which: str) -> tuple[np.ndarray, np.ndarray]:
    """A data set as arrays: X of shape (n, n_inputs) with n > 0 finite numbers, y with n rows
    (finite when it holds floats). `which` names the set in messages ('train', 'validation')."""
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != n_inputs:
        raise ValueError(f"X_{which} must have shape (n_samples, {n_inputs}); got {X.shape}")
    if X.shape[0] == 0 or y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X_{which} and y_{which} must have the same number (> 0) of rows; "
            f"got {X.shape[0]} and {y.shape[0]}"
        )
    if not np.issubdtype(X.dtype, np.number):
        raise ValueError(f"X_{which} must hold numbers; got dtype {X.dtype}")
    if not np.all(np.isfinite(X)):
        raise ValueError(non_finite_message(f"X_{which}", X))
    if np.issubdtype(y.dtype, np.floating) and not np.all(np.isfinite(y)):
        raise ValueError(non_finite_message(f"y_{which}", y))
    return X, y


def non_finite_message(name: str, values: np.ndarray) -> str:
    """Say where the first NaN or infinity of `values` is, and how many there are."""
    bad = ~np.isfinite(values)
    at = tuple(int(i) for i in np.argwhere(bad)[0])
    return (
        f"{name} must hold finite numbers (no NaN or inf); got {values[at]} at index "
        f"{at[0] if len(at) == 1 else at} ({int(bad.sum())} non-finite)"
    )


def check_sample_weight(sample_weight, n_samples: int, name: str = "sample_weight", dtype=np.float64):
    """None (every sample counts once), or one finite weight >= 0 per sample, not all 0, as a
    1-D array of `dtype`."""
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight)
    if w.ndim != 1 or w.shape[0] != n_samples:
        raise ValueError(f"{name} must hold one weight per sample, shape ({n_samples},); got shape {w.shape}")
    if not np.issubdtype(w.dtype, np.number) or np.issubdtype(w.dtype, np.complexfloating):
        raise ValueError(f"{name} must hold numbers; got dtype {w.dtype}")
    if not np.all(np.isfinite(w)):
        raise ValueError(non_finite_message(name, w))
    if np.any(w < 0) or not np.any(w > 0):
        raise ValueError(f"{name} must be >= 0 and not all 0; got values such as {np.unique(w)[:5].tolist()}")
    return w.astype(dtype)
