"""Small checks for user-supplied parameters, each raising `DataError` with a clear message.

The message always names the parameter, the allowed range and the value received, e.g.
"n_samples must be a whole number from 50 to 5000; got 20."
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from core.data.errors import DataError


def check_int(name: str, value, low: int, high: int) -> int:
    """Return `value` as an int if it is a whole number in [low, high]; else raise DataError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise DataError(f"{name} must be a whole number from {low} to {high}; got {value!r}.")
    if not low <= value <= high:
        raise DataError(f"{name} must be a whole number from {low} to {high}; got {value}.")
    return int(value)


def check_float(name: str, value, low: float, high: float) -> float:
    """Return `value` as a float if it is a finite number in [low, high]; else raise DataError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise DataError(f"{name} must be a number from {low} to {high}; got {value!r}.")
    value = float(value)
    if not math.isfinite(value) or not low <= value <= high:
        raise DataError(f"{name} must be a number from {low} to {high}; got {value}.")
    return value


def check_seed(seed) -> int:
    """A seed is a non-negative whole number (the same seed always gives the same data)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise DataError(f"seed must be a whole number >= 0; got {seed!r}.")
    return int(seed)


def check_choice(name: str, value, allowed) -> str:
    """Return `value` if it is one of `allowed`; else raise DataError listing the choices."""
    if not isinstance(value, str) or value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise DataError(f"{name} must be one of {choices}; got {value!r}.")
    return value
