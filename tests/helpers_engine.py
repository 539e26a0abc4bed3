"""Shared helpers for the engine correctness tests (tests/test_engine_*.py).

Everything here is an independent reference: textbook formulas written out with NumPy, never calls
into the engine's own activation / loss code, so a test comparing the two can actually fail.
"""

from __future__ import annotations

import gzip

import numpy as np

from tests.paths import MNIST_5K_IMAGES, MNIST_5K_LABELS

LEAKY_SLOPE = 0.01


# ------------------------------------------------------------------------------- activations
def ref_activation(name: str, z: np.ndarray) -> np.ndarray:
    """Textbook f(z)."""
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, LEAKY_SLOPE * z)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "linear":
        return z.copy()
    raise KeyError(name)


def ref_derivative(name: str, z: np.ndarray) -> np.ndarray:
    """Textbook f'(z) (z away from 0 for the piecewise ones)."""
    if name == "relu":
        return (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, LEAKY_SLOPE)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s * (1.0 - s)
    if name == "linear":
        return np.ones_like(z)
    raise KeyError(name)


# ------------------------------------------------------------------------------- gradients
def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / max(||a|| + ||b||, tiny)."""
    a, b = np.ravel(a), np.ravel(b)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


def numeric_gradient(f, params: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar f() with respect to every entry of `params` (in place,
    each entry restored exactly afterwards)."""
    grad = np.empty(params.shape, np.float64)
    flat = params.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        f_plus = f()
        flat[i] = original - h
        f_minus = f()
        flat[i] = original
        grad.reshape(-1)[i] = (f_plus - f_minus) / (2 * h)
    return grad


# ------------------------------------------------------------------------------- data
def load_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 real MNIST images (n, 784) uint8 and labels (n,) uint8, read straight from IDX.

    Callers skip first where the subset is absent (`tests.paths.requires_mnist_5k`)."""
    with gzip.open(MNIST_5K_IMAGES, "rb") as fh:
        raw = fh.read()
    assert int.from_bytes(raw[0:4], "big") == 2051, "bad IDX image magic number"
    n, rows, cols = (int.from_bytes(raw[i : i + 4], "big") for i in (4, 8, 12))
    images = np.frombuffer(raw, np.uint8, offset=16).reshape(n, rows * cols)
    with gzip.open(MNIST_5K_LABELS, "rb") as fh:
        raw = fh.read()
    assert int.from_bytes(raw[0:4], "big") == 2049, "bad IDX label magic number"
    labels = np.frombuffer(raw, np.uint8, offset=8)
    assert labels.shape[0] == n
    return images, labels


# ------------------------------------------------------------------------------- engine access
def engine_gradients(net, X, T, l1=0.0, l2=0.0, dropout=0.0, rng=None) -> np.ndarray:
    """`net.compute_gradients` on a plain batch X (n, n_inputs).

    compute_gradients takes the batch as the trainer prepares it: in the network's dtype, and, in
    engine versions using the bias trick, with a column of ones appended (`with_ones_column`).
    """
    if hasattr(net, "with_ones_column"):
        X_in = net.with_ones_column(X)
    else:
        X_in = np.ascontiguousarray(X, dtype=net.dtype)
    return net.compute_gradients(X_in, T, l1, l2, dropout, rng)


def all_weights(net) -> np.ndarray:
    """Every weight (no bias) of the network, as one vector (whatever the buffer layout)."""
    return np.concatenate([w.ravel() for w in net.weights])
