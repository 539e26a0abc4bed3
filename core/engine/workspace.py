"""Preallocated buffers: what the training hot path writes into instead of allocating.

A `Workspace` holds, for one batch size, every layer's z, a, dL/dz, dL/da and dropout mask, so
a mini-batch's forward and backward passes allocate nothing (network.py fills and reads them).
`aligned_zeros` gives the network's flat parameter and gradient buffers.
"""

from __future__ import annotations

import numpy as np


class Workspace:
    """Preallocated per-batch-size buffers for training on one batch size (no allocation on the hot path).

    Hidden activations are stored with an extra column of ones, [a, 1], for the bias trick;
    `a` holds the views without that column.
    """

    def __init__(self, sizes, batch, dtype):
        self.z = [np.empty((batch, n), dtype) for n in sizes[1:]]
        self.a_with_ones = [np.ones((batch, n + 1), dtype) for n in sizes[1:-1]]
        self.a = [buffer[:, :-1] for buffer in self.a_with_ones]
        # With dropout, a holds the masked activations; f(z) itself is kept here for f'(z).
        self.unmasked = [np.empty((batch, n), dtype) for n in sizes[1:-1]]
        self.grad_z = [np.empty((batch, n), dtype) for n in sizes[1:]]
        self.grad_a = [np.empty((batch, n), dtype) for n in sizes[1:-1]]
        self.masks = [np.empty((batch, n), dtype) for n in sizes[1:-1]]


def aligned_zeros(n: int, dtype, alignment: int = 64) -> np.ndarray:
    """A zero vector whose data starts on a cache-line boundary (NumPy only promises 16 bytes):
    matrix products on the first layer's weights run measurably faster when aligned."""
    itemsize = np.dtype(dtype).itemsize
    raw = np.zeros(n + alignment // itemsize, dtype)
    start = (-raw.ctypes.data % alignment) // itemsize
    return raw[start : start + n]
