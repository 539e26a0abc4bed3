"""Weight initialization schemes. Biases always start at zero.

- he:      W ~ N(0, 2 / n_in)            keeps ReLU activations' variance steady across layers
- xavier:  W ~ U(-l, l), l = sqrt(6 / (n_in + n_out))   Glorot & Bengio, for tanh / sigmoid
- uniform: W ~ U(-0.5, 0.5)              TensorFlow Playground's choice
- same:    W = 1 / sqrt(n_in) everywhere  every neuron of a layer starts alike, gets the same
                                          gradient and stays identical: the symmetry problem
- zeros:   W = 0                         the same symmetry, and worse: with tanh or ReLU no gradient
                                          reaches the hidden weights at all, so nothing learns
"""

from __future__ import annotations

import numpy as np


def _he(rng, n_in, n_out):
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)


def _xavier(rng, n_in, n_out):
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_in, n_out))


def _uniform(rng, n_in, n_out):
    return rng.uniform(-0.5, 0.5, (n_in, n_out))


def _same(rng, n_in, n_out):
    return np.full((n_in, n_out), 1.0 / np.sqrt(n_in))


def _zeros(rng, n_in, n_out):
    return np.zeros((n_in, n_out))


INITIALIZERS = {"he": _he, "xavier": _xavier, "uniform": _uniform, "same": _same, "zeros": _zeros}


def initial_weights(name: str, rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """Draw an (n_in, n_out) weight matrix (float64; the network casts it to its dtype)."""
    try:
        scheme = INITIALIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"init must be one of {sorted(INITIALIZERS)}; got {name!r}") from None
    return scheme(rng, n_in, n_out)
