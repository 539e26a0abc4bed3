"""What the trainer records: one `EpochRecord` per finished epoch, with its metric (`metric_value`),
and why it stopped (`early_stopping_message`, `divergence_message`).

The stop messages are a library's: they say what happened and what to change, never which
button to press (a page that shows them adds its own advice)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EpochRecord:
    """What one epoch did. `metric` is accuracy for classification, R² for regression; the val_
    fields are measured on the trainer's held-out set (None without one)."""

    epoch: int
    train_loss: float
    train_metric: float
    val_loss: float | None
    val_metric: float | None
    learning_rate: float
    grad_norms: tuple  # per layer: ||dL/dW, dL/db|| on the epoch's last mini-batch
    seconds: float  # wall time since training started
    penalty: float = 0.0  # the regularization term l1 * sum|w| + l2/2 * sum w^2 after the epoch


def metric_value(task: str, output: np.ndarray, y: np.ndarray, sample_weight=None) -> float:
    """Accuracy for classification, R² = 1 - SS_res / SS_tot for regression. For multilabel the
    accuracy counts a sample right only when all its labels are (subset accuracy, as
    scikit-learn's `score`). With `sample_weight` each sample counts w_i times (as
    scikit-learn's accuracy_score and r2_score with sample_weight)."""
    if task == "binary":
        right = (output[:, 0] > 0.5) == (y.reshape(-1) > 0.5)
    elif task == "multilabel":
        right = np.all((output > 0.5) == (y.reshape(output.shape) > 0.5), axis=1)
    elif task == "multiclass":
        right = output.argmax(axis=1) == y.reshape(-1)
    else:
        return _r2(output, y.reshape(output.shape), sample_weight)
    return float(np.mean(right) if sample_weight is None else np.average(right, weights=sample_weight))


def _r2(output: np.ndarray, y: np.ndarray, sample_weight) -> float:
    """R² per output column, averaged (scikit-learn's default 'uniform_average'); 0 for a
    constant column."""
    if sample_weight is None:
        ss_tot = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
        ss_res = np.sum((y - output) ** 2, axis=0)
    else:
        w = np.reshape(sample_weight, (-1, 1))
        ss_tot = np.sum(w * (y - np.average(y, axis=0, weights=w[:, 0])) ** 2, axis=0)
        ss_res = np.sum(w * (y - output) ** 2, axis=0)
    r2 = np.where(ss_tot > 0, 1.0 - ss_res / np.where(ss_tot > 0, ss_tot, 1.0), 0.0)
    return float(np.mean(r2))


def gradient_norms(layers) -> tuple[float, ...]:
    """Per layer, the length of its whole gradient: sqrt(||dL/dW||² + ||dL/db||²)."""
    return tuple(
        math.sqrt(
            float(np.dot(layer.grad_weights.ravel(), layer.grad_weights.ravel()))
            + float(np.dot(layer.grad_bias, layer.grad_bias))
        )
        for layer in layers
    )


def early_stopping_message(
    epoch: int,
    min_delta: float,
    patience: int,
    best_loss: float,
    best_epoch: int,
    restored: bool,
    watched: str = "validation loss",
) -> str:
    """Why early stopping ended training at `epoch` (`watched`: what it watched; `best_loss`:
    that value's best)."""
    message = (
        f"Early stopping at epoch {epoch}: the {watched} has not improved by {min_delta:g} "
        f"for {patience} epochs (best {best_loss:.4g} at epoch {best_epoch})."
    )
    return message + (f" Restored the weights of epoch {best_epoch} (the best)." if restored else "")


def divergence_message(epoch: int, what: str, learning_rate: float) -> str:
    """Why training stopped during epoch `epoch + 1` (`what` became non-finite)."""
    return (
        f"Training diverged during epoch {epoch + 1}: {what}. The learning rate "
        f"({learning_rate:g}) is probably too high for this network; lower it (try "
        f"{learning_rate / 10:g}). The weights were restored to their last good values (epoch {epoch})."
    )
