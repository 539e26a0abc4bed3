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
- exp + Poisson deviance (regression of counts or rates, y >= 0: the prediction e^z is always
  positive), L = 1/n * sum_ik (e^{z_ik} - t_ik z_ik + t_ik log t_ik - t_ik), half the Poisson
  deviance, scikit-learn's `poisson_loss` (summed over outputs, averaged over samples); its
  last two terms do not depend on z, they make a perfect prediction's loss 0
- identity + squared error (regression), L = 1/(2n) * sum over samples i and outputs k of
  (z_ik - t_ik)^2. scikit-learn's MLPRegressor takes the same gradients, (z - t) / n, whatever
  the number of outputs K, but the loss it reports (`squared_loss` in
  sklearn/neural_network/_base.py: 0.5 * the mean over samples AND outputs) is this L / K:
  the two values are equal for one output only.

Targets are always given to the heads as a float matrix T of shape (n, n_outputs): 0/1 for
binary, the 0/1 indicator matrix for multilabel, one-hot rows for softmax, the values themselves
for regression (`prepare_targets` builds it from labels once, not per batch).

Sample weights (optional, w_i >= 0, one per sample): the mean over samples becomes the weighted
mean, L = sum_i w_i l_i / sum_i w_i (scikit-learn's MLP: each mini-batch's loss is the weighted
average of its samples' losses), so dL/dz_i = w_i (prediction_i - target_i) / sum_j w_j. Weights
all equal give exactly the unweighted loss and gradient.
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


def _weighted_mean(per_sample, weights) -> float:
    """sum_i w_i l_i / sum_i w_i: the mean over samples when each counts w_i times."""
    return float(np.dot(weights, per_sample) / np.sum(weights))


def _bce_loss(z, t, weights=None):
    # -[t log s(z) + (1-t) log(1-s(z))] = max(z,0) - z t + log(1 + e^{-|z|})  (stable form),
    # summed over the output columns (one for binary, k for multilabel), averaged over samples
    elementwise = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
    if weights is not None:
        return _weighted_mean(elementwise.sum(axis=1), weights)
    return float(np.mean(elementwise) * z.shape[1])


def _ce_loss(z, t, weights=None):
    # -sum_k t_k log softmax(z)_k, averaged over samples
    if weights is not None:
        return _weighted_mean(-np.sum(t * log_softmax(z), axis=1), weights)
    return float(-np.sum(t * log_softmax(z)) / z.shape[0])


def _mse_loss(z, t, weights=None):
    # 1/(2n) sum_ik (z_ik - t_ik)^2: summed over outputs, averaged over samples (see the docstring)
    diff = z - t
    if weights is not None:
        return _weighted_mean(0.5 * np.sum(diff * diff, axis=1), weights)
    return float(np.sum(diff * diff) / (2 * z.shape[0]))


def _poisson_loss(z, t, weights=None):
    # e^z - t z + t log t - t, with t log t = 0 at t = 0 (its limit), summed over outputs
    t_log_t = t * np.log(np.where(t > 0, t, 1))
    elementwise = np.exp(z) - t * z + t_log_t - t
    if weights is not None:
        return _weighted_mean(elementwise.sum(axis=1), weights)
    return float(np.sum(elementwise) / z.shape[0])


def _exp(z, out=None):
    return np.exp(z, out=out)


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
    loss_from_logits: Callable  # loss(z, T, weights=None) -> float, (weighted) mean over samples
    output_name: str  # the output function: 'sigmoid', 'softmax', 'linear' (the identity) or 'exp'
    output_formula: str  # LaTeX of p = output(z), for the Learn page
    loss_formula: str  # LaTeX, for the Learn page

    def gradient(self, z, targets, out=None, weights=None):
        """dL/dz for the mean loss: (output(z) - T) / n; with sample weights w (shape (n,)),
        for the weighted mean: w_i (output(z_i) - T_i) / sum_j w_j."""
        out = self.output(z, out)
        out -= targets
        if weights is None:
            out *= 1.0 / z.shape[0]
        else:
            out *= (weights / np.sum(weights))[:, None]
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
        if self.name == "exp_poisson" and np.any(targets < 0):
            bad = np.unique(targets[targets < 0])[:5].tolist()
            raise ValueError(f"y must be >= 0 for a Poisson loss (counts or rates); got values such as {bad}")
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
    "exp_poisson": OutputHead(
        "exp_poisson",
        "regression",
        _exp,
        _poisson_loss,
        "exp",
        r"e^{z}",
        r"\sum_k \left(p_k - t_k \log p_k + t_k \log t_k - t_k\right)",
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
