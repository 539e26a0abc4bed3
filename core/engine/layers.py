"""A fully connected (dense) layer: z = a_prev @ W + b, a = f(z).

A hidden layer's f is its activation (activations.py). The output layer has none (`activation`
is None): its z goes to the network's output head (losses.py), which owns the output function.

The layer does not own its arrays: W, b and their gradients are views into the network's one
flat parameter buffer (and flat gradient buffer), so an optimizer can update every parameter of
the network with a few vector operations, whatever its depth.

In that buffer each layer's bias is stored as one more row under its weights, the block [W; b] of
shape (n_in + 1, n_out). Training uses the classic "bias trick" on it:
    z = [a_prev, 1] @ [W; b] = a_prev @ W + b      and      dL/d[W; b] = [a_prev, 1]^T @ dL/dz
one matrix product instead of a product plus a bias add (forward) or a column sum (backward).
"""

from __future__ import annotations

import numpy as np

from core.engine.activations import Activation


class DenseLayer:
    """One dense layer. Shapes: a_prev (n, n_in) @ W (n_in, n_out) + b (n_out,) -> z (n, n_out)."""

    __slots__ = (
        "n_in",
        "n_out",
        "activation",
        "block",
        "weights",
        "bias",
        "grad_block",
        "grad_weights",
        "grad_bias",
    )

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: Activation | None,
        block: np.ndarray,
        grad_block: np.ndarray,
    ):
        self.n_in = n_in
        self.n_out = n_out
        self.activation = activation  # None for the output layer: the head applies its function
        self.block = block  # [W; b], shape (n_in + 1, n_out)
        self.weights = block[:-1]
        self.bias = block[-1]
        self.grad_block = grad_block
        self.grad_weights = grad_block[:-1]
        self.grad_bias = grad_block[-1]

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

    def pre_activation_augmented(self, a_prev_with_ones: np.ndarray, out: np.ndarray) -> np.ndarray:
        """z = [a_prev, 1] @ [W; b] (a_prev_with_ones has a last column of ones)."""
        return np.dot(a_prev_with_ones, self.block, out=out)

    def backward(
        self, a_prev_with_ones: np.ndarray, grad_z: np.ndarray, grad_a_prev_out: np.ndarray | None
    ) -> np.ndarray | None:
        """Given dL/dz, store dL/d[W; b] = [a_prev, 1]^T dz: that is dL/dW = a_prev^T dz and
        dL/db = the sum over samples of dz.

        Returns dL/da_prev = dz W^T (into `grad_a_prev_out`), or None when that buffer is None
        (the first layer: nobody needs the gradient with respect to the input data).
        """
        np.dot(a_prev_with_ones.T, grad_z, out=self.grad_block)
        if grad_a_prev_out is None:
            return None
        return np.dot(grad_z, self.weights.T, out=grad_a_prev_out)

    def __repr__(self) -> str:
        f = "output head" if self.activation is None else self.activation.name
        return f"Dense({self.n_in} -> {self.n_out}, {f})"
