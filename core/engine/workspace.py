"""Preallocated buffers: what the training hot path writes into instead of allocating.

A `Workspace` holds, for one batch size, every layer's z, a, dL/dz, dL/da and dropout mask, so
a mini-batch's forward and backward passes allocate nothing (network.py fills and reads them).
`GatherBuffers` holds the arrays the trainer gathers a shuffled mini-batch into.
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


class GatherBuffers:
    """Reused arrays that the trainer gathers a mini-batch of inputs and targets into (no
    allocation per batch), one pair per batch size (the last batch of an epoch may be short)."""

    def __init__(self):
        self._by_size: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self._by_size)

    def clear(self) -> None:
        self._by_size.clear()

    def get(self, size: int, X: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Arrays for `size` rows of X and of T (their widths and dtypes)."""
        buffers = self._by_size.get(size)
        if buffers is None:
            if len(self._by_size) >= 4:  # the batch size changed: drop the old ones
                self._by_size.clear()
            buffers = self._by_size[size] = (
                np.empty((size, X.shape[1]), X.dtype),
                np.empty((size, T.shape[1]), T.dtype),
            )
        return buffers


def aligned_zeros(n: int, dtype, alignment: int = 64) -> np.ndarray:
    """A zero vector whose data starts on a cache-line boundary (NumPy only promises 16 bytes):
    matrix products on the first layer's weights run measurably faster when aligned."""
    itemsize = np.dtype(dtype).itemsize
    raw = np.zeros(n + alignment // itemsize, dtype)
    start = (-raw.ctypes.data % alignment) // itemsize
    return raw[start : start + n]
