"""Read-only arrays for the frozen data-set containers."""

from __future__ import annotations

import numpy as np


def frozen_array(value, dtype=None) -> np.ndarray:
    """A C-contiguous, read-only array of `value` (copied if the caller could still modify it).

    Data sets are shared between pages and cached, so nobody should change them in place;
    numpy then raises "assignment destination is read-only" instead of silently corrupting them.
    """
    array = np.ascontiguousarray(value, dtype=dtype)
    if isinstance(value, np.ndarray) and array.flags.writeable and np.shares_memory(array, value):
        array = array.copy()  # do not make the caller's own array read-only
    array.setflags(write=False)
    return array
