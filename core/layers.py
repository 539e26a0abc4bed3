"""A fully connected (dense) layer: z = a_prev @ W + b, a = f(z).

The layer does not own its arrays: W, b and their gradients are views into the network's one
flat parameter buffer (and flat gradient buffer), so an optimizer can update every parameter of
the network with a few vector operations, whatever its depth.
"""

from __future__ import annotations

import numpy as np

from core.activations import Activation


class DenseLayer:
    """One dense layer. Shapes: a_prev (n, n_in) @ W (n_in, n_out) + b (n_out,) -> z (n, n_out)."""

    __slots__ = ("n_in", "n_out", "activation", "weights", "bias", "grad_weights", "grad_bias")

    def __init__(self, n_in: int, n_out: int, activation: Activation,
                 weights: np.ndarray, bias: np.ndarray,
                 grad_weights: np.ndarray, grad_bias: np.ndarray):
        self.n_in = n_in
        self.n_out = n_out
        self.activation = activation  # for the output layer: the head's output function
        self.weights = weights
        self.bias = bias
        self.grad_weights = grad_weights
        self.grad_bias = grad_bias

    @property
    def n_params(self) -> int:
        return self.n_in * self.n_out + self.n_out

    def pre_activation(self, a_prev: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """z = a_prev @ W + b."""
        if out is None:
            z = a_prev @ self.weights
        else:
            z = np.dot(a_prev, self.weights, out=out)
        z += self.bias
        return z

    def backward(self, a_prev: np.ndarray, grad_z: np.ndarray,
                 grad_a_prev_out: np.ndarray | None) -> np.ndarray | None:
        """Given dL/dz, store dL/dW = a_prev^T dz and dL/db = sum over samples of dz.

        Returns dL/da_prev = dz W^T (into `grad_a_prev_out`), or None when that buffer is None
        (the first layer: nobody needs the gradient with respect to the input data).
        """
        np.dot(a_prev.T, grad_z, out=self.grad_weights)
        np.add.reduce(grad_z, axis=0, out=self.grad_bias)
        if grad_a_prev_out is None:
            return None
        return np.dot(grad_z, self.weights.T, out=grad_a_prev_out)

    def __repr__(self) -> str:
        return f"Dense({self.n_in} -> {self.n_out}, {self.activation.name})"
