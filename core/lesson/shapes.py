"""NumPy shapes as this engine uses them, each line actually run so the page prints its result.

Conventions here: samples are ROWS. A batch X is (n, n_in), a layer's W is (n_in, n_out) and
z = X @ W + b, with b of shape (n_out,) broadcast over the n rows. Textbooks and much code write
z = W x for one column vector x of shape (n_in, 1), with W of shape (n_out, n_in): that W is our
W transposed, and the two give the same numbers. The loss of a batch is the MEAN over its rows,
so the 1/n sits in dL/dz = (prediction - target) / n, and dL/dW = X^T @ dL/dz sums over rows.
"log" in every loss formula is the natural log, ln (np.log), not log10.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.losses import get_output_head


@dataclass(frozen=True)
class ShapeLine:
    code: str
    result: str
    why: str


def _shape(a) -> str:
    return str(np.shape(a))


def shape_lines() -> list[ShapeLine]:
    """Each example runs here; `result` is what NumPy gave."""
    x = np.array([1.0, 2.0, 3.0])
    column = x.copy()
    column.shape += (1,)
    row = x.reshape(1, -1)
    W = np.arange(12.0).reshape(3, 4) / 10  # (n_in=3, n_out=4), as this engine stores it
    b = np.array([0.1, 0.2, 0.3, 0.4])
    X = np.stack([x, 2 * x])  # a batch of two samples, one per row
    z_rows = X @ W + b
    z_column = W.T @ column + b.reshape(-1, 1)  # the 'W @ x' convention, W' = W.T of shape (4, 3)
    return [
        ShapeLine("x = np.array([1., 2., 3.]); x.shape", _shape(x), "1-D: neither a row nor a column"),
        ShapeLine("x @ x", f"{x @ x:g}", "two 1-D arrays: @ is the dot product, a number"),
        ShapeLine("x.shape += (1,); x.shape", _shape(column), "now a column vector: 3 rows, 1 column"),
        ShapeLine("x.reshape(1, -1).shape", _shape(row), "a row vector; -1 means 'whatever fits'"),
        ShapeLine("column @ column.T", _shape(column @ column.T), "column times row: a 3x3 outer product"),
        ShapeLine("W.shape", _shape(W), "here W is (n_in, n_out): one COLUMN per neuron"),
        ShapeLine("X = a batch of 2 samples; X.shape", _shape(X), "samples are rows: (n, n_in)"),
        ShapeLine("(X @ W + b).shape", _shape(z_rows), "b of shape (4,) is added to every row (broadcast)"),
        ShapeLine(
            "(W.T @ x_column + b_column).shape",
            _shape(z_column),
            "the 'W @ x' convention: its W is our W.T, x a column",
        ),
        ShapeLine(
            "np.allclose(z_column[:, 0], (x @ W + b))",
            str(bool(np.allclose(z_column[:, 0], x @ W + b))),
            "same numbers, transposed layout",
        ),
        ShapeLine("np.log(np.e)", f"{np.log(np.e):g}", "'log' in the loss is ln, the natural log"),
        ShapeLine(
            "-np.log(0.5), -np.log10(0.5)", f"{-np.log(0.5):.4f}, {-np.log10(0.5):.4f}", "ln, not log10"
        ),
    ]


def batch_gradient_demo(seed: int = 0):
    """(dW of a batch, the mean of the n one-sample dW's), both from the engine's softmax head,
    whose dL/dZ = (P - T) / n carries the 1/n: dW = X^T @ dL/dZ. Equal, which is where the 1/n goes."""
    head = get_output_head("softmax_ce")
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(4, 3))
    W = rng.normal(size=(3, 2))
    T = np.eye(2)[[0, 1, 1, 0]]
    batch = X.T @ head.gradient(X @ W, T)
    per_sample = np.mean(
        [X[i : i + 1].T @ head.gradient(X[i : i + 1] @ W, T[i : i + 1]) for i in range(len(X))], 0
    )
    return batch, per_sample
