"""Output heads: the last layer's output function fused with its loss.

The head is the one owner of the output non-linearity: the network's output layer computes its
z and stops there (it has no activation of its own). Fusing function and loss is both stabler
and simpler: for every head the gradient of the mean loss with respect to the logits z is
the same expression, dL/dz = (prediction - target) / n.

- sigmoid + binary cross-entropy  (two classes, one output unit)
- k sigmoids + binary cross-entropy summed over them (multilabel: k yes/no labels per sample,
  any number of them true; one output unit per label, L = mean over samples of the sum of the k
  BCEs, which is scikit-learn's multilabel log-loss)
- softmax + categorical cross-entropy (any number of classes, one unit per class)
- identity + squared error (regression), L = 1/(2n) * sum over samples i and outputs k of
  (z_ik - t_ik)^2. scikit-learn's MLPRegressor takes the same gradients, (z - t) / n, whatever
  the number of outputs K, but the loss it reports (`squared_loss` in
  sklearn/neural_network/_base.py: 0.5 * the mean over samples AND outputs) is this L / K:
  the two values are equal for one output only.

Targets are always given to the heads as a float matrix T of shape (n, n_outputs): 0/1 for
binary, the 0/1 indicator matrix for multilabel, one-hot rows for softmax, the values themselves
for regression (`prepare_targets` builds it from labels once, not per batch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.engine.activations import sigmoid


def softmax(z, out=None):
    """softmax(z)_k = e^{z_k - max z} / sum_j e^{z_j - max z} (subtracting the max avoids overflow)."""
    out = np.subtract(z, z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def log_softmax(z):
    """log softmax(z) = z - max - log(sum e^{z - max}); never takes log(0)."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _bce_loss(z, t):
    # -[t log s(z) + (1-t) log(1-s(z))] = max(z,0) - z t + log(1 + e^{-|z|})  (stable form),
    # summed over the output columns (one for binary, k for multilabel), averaged over samples
    return float(np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))) * z.shape[1])


def _ce_loss(z, t):
    # -sum_k t_k log softmax(z)_k, averaged over samples
    return float(-np.sum(t * log_softmax(z)) / z.shape[0])


def _mse_loss(z, t):
    # 1/(2n) sum_ik (z_ik - t_ik)^2: summed over outputs, averaged over samples (see the docstring)
    diff = z - t
    return float(np.sum(diff * diff) / (2 * z.shape[0]))


def _identity(z, out=None):
    if out is None:
        return z.copy()
    np.copyto(out, z)
    return out


@dataclass(frozen=True)
class OutputHead:
    """A fused output function + loss, for one kind of problem (`task`)."""

    name: str
    task: str  # 'binary', 'multilabel', 'multiclass' or 'regression'
    output: Callable  # output(z, out=None) -> probabilities / predictions
    loss_from_logits: Callable  # loss(z, T) -> float, mean over samples
    output_name: str  # the output function: 'sigmoid', 'softmax' or 'linear' (the identity)
    output_formula: str  # LaTeX of p = output(z), for the Learn page
    loss_formula: str  # LaTeX, for the Learn page

    def gradient(self, z, targets, out=None):
        """dL/dz for the mean loss: (output(z) - T) / n."""
        out = self.output(z, out)
        out -= targets
        out *= 1.0 / z.shape[0]
        return out

    def n_outputs(self, n_classes: int) -> int:
        """Output units for `n_classes` classes (for multilabel: labels)."""
        return 1 if self.task in ("binary", "regression") else n_classes

    def prepare_targets(self, y, n_outputs: int, dtype=np.float32) -> np.ndarray:
        """Labels (or regression values) -> the float target matrix T of shape (n, n_outputs)."""
        y = np.asarray(y)
        if self.task == "multiclass":
            labels = y.reshape(-1)
            if not np.issubdtype(labels.dtype, np.integer):
                if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
                    raise ValueError(
                        "y must hold integer class labels for a softmax output; "
                        f"got values such as {labels[:3]!r}"
                    )
                labels = labels.astype(np.int64)
            if labels.size and (labels.min() < 0 or labels.max() >= n_outputs):
                raise ValueError(
                    f"class labels must be in [0, {n_outputs - 1}]; got [{labels.min()}, {labels.max()}]"
                )
            targets = np.zeros((labels.shape[0], n_outputs), dtype=dtype)
            targets[np.arange(labels.shape[0]), labels] = 1
            return targets
        targets = y.astype(dtype, copy=False).reshape(y.shape[0], -1)
        if targets.shape[1] != n_outputs:
            raise ValueError(f"y must have {n_outputs} column(s) for this network; got {targets.shape[1]}")
        if self.task in ("binary", "multilabel") and np.any((targets != 0) & (targets != 1)):
            bad = np.unique(targets[(targets != 0) & (targets != 1)])[:5].tolist()
            raise ValueError(f"y must hold 0/1 labels for a sigmoid output; got values such as {bad}")
        return targets


OUTPUT_HEADS: dict[str, OutputHead] = {
    "sigmoid_bce": OutputHead(
        "sigmoid_bce",
        "binary",
        sigmoid,
        _bce_loss,
        "sigmoid",
        r"\frac{1}{1 + e^{-z}}",
        r"-\left[t\log p + (1-t)\log(1-p)\right]",
    ),
    "sigmoid_bce_multilabel": OutputHead(
        "sigmoid_bce_multilabel",
        "multilabel",
        sigmoid,
        _bce_loss,
        "sigmoid",
        r"\frac{1}{1 + e^{-z_k}}",
        r"-\sum_k \left[t_k\log p_k + (1-t_k)\log(1-p_k)\right]",
    ),
    "softmax_ce": OutputHead(
        "softmax_ce",
        "multiclass",
        softmax,
        _ce_loss,
        "softmax",
        r"\frac{e^{z_k}}{\sum_j e^{z_j}}",
        r"-\sum_k t_k \log p_k",
    ),
    "linear_mse": OutputHead(
        "linear_mse", "regression", _identity, _mse_loss, "linear", r"z", r"\tfrac{1}{2}\sum_k (z_k - t_k)^2"
    ),
}

# Which head fits which problem, for pages that choose it from the data.
HEAD_FOR_TASK = {
    "binary": "sigmoid_bce",
    "multilabel": "sigmoid_bce_multilabel",
    "multiclass": "softmax_ce",
    "regression": "linear_mse",
}


def get_output_head(name: str) -> OutputHead:
    try:
        return OUTPUT_HEADS[name]
    except (KeyError, TypeError):
        raise ValueError(f"output must be one of {sorted(OUTPUT_HEADS)}; got {name!r}") from None
