"""What the trainer records: one `EpochRecord` per finished epoch, with its metric (`metric_value`)."""

from __future__ import annotations

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


def metric_value(task: str, output: np.ndarray, y: np.ndarray) -> float:
    """Accuracy for classification, R² = 1 - SS_res / SS_tot for regression."""
    if task == "binary":
        return float(np.mean((output[:, 0] > 0.5) == (y.reshape(-1) > 0.5)))
    if task == "multiclass":
        return float(np.mean(output.argmax(axis=1) == y.reshape(-1)))
    # R² per output column, averaged (scikit-learn's default 'uniform_average')
    y = y.reshape(output.shape)
    ss_tot = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
    ss_res = np.sum((y - output) ** 2, axis=0)
    r2 = np.where(ss_tot > 0, 1.0 - ss_res / np.where(ss_tot > 0, ss_tot, 1.0), 0.0)
    return float(np.mean(r2))
