"""The live loss and metric curves, of bounded size however long training runs, and `EpochScores`,
what the Playground reads of one epoch.

The engine's trainer calls its held-out set `X_val`/`val_loss`; the Playground holds out a TEST
set (the page never tunes on it), so its records are translated once, here, into test_* names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.engine.trainer import EpochRecord


def decimate_indices(n: int, max_points: int = 300) -> np.ndarray:
    """At most max_points evenly spaced indices of range(n), always including the last."""
    if n <= max_points:
        return np.arange(n)
    index = np.linspace(0, n - 1, max_points).round().astype(np.int64)
    return np.unique(index)


@dataclass(frozen=True)
class EpochScores:
    """Losses and metrics (accuracy, or R² for regression) after `epoch` epochs, on the training
    and the test set. NaN when the test set is empty."""

    epoch: int
    train_loss: float
    train_metric: float
    test_loss: float
    test_metric: float

    @classmethod
    def of(cls, record: EpochRecord) -> EpochScores:
        """The scores of an engine record (its `val_*` fields are the Playground's test set)."""
        return cls(
            record.epoch,
            float(record.train_loss),
            float(record.train_metric),
            math.nan if record.val_loss is None else float(record.val_loss),
            math.nan if record.val_metric is None else float(record.val_metric),
        )

    def row(self) -> tuple[float, ...]:
        """The values in the order of CurveHistory.COLUMNS."""
        return (self.epoch, self.train_loss, self.test_loss, self.train_metric, self.test_metric)


class CurveHistory:
    """Loss and metric curves for the live charts, of bounded size however long training runs.

    Keeps every `stride`-th epoch; when more than `max_points` are kept, every other one is
    dropped and the stride doubles. The latest scores are always available as `last`.
    """

    COLUMNS = ("epoch", "train_loss", "test_loss", "train_metric", "test_metric")

    def __init__(self, max_points: int = 600):
        self.max_points = int(max_points)
        self.stride = 1
        self.columns: dict[str, list[float]] = {name: [] for name in self.COLUMNS}
        self.last: EpochScores | None = None

    def __len__(self) -> int:
        return len(self.columns["epoch"])

    def add(self, scores) -> None:
        """Append EpochScores, in epoch order."""
        for score in scores:
            self.last = score
            if score.epoch % self.stride:
                continue
            for name, value in zip(self.COLUMNS, score.row()):
                self.columns[name].append(float(value))
            if len(self) > self.max_points:
                self._thin()

    def _thin(self) -> None:
        stride = self.stride * 2
        keep = [i for i, epoch in enumerate(self.columns["epoch"]) if int(epoch) % stride == 0]
        for name in self.COLUMNS:
            column = self.columns[name]
            self.columns[name] = [column[i] for i in keep]
        self.stride = stride

    def arrays(self, max_points: int = 300) -> dict[str, np.ndarray]:
        """float32 columns, at most max_points + 1 rows, ending with the latest scores."""
        n = len(self)
        index = decimate_indices(n, max_points)
        out = {
            name: np.asarray(self.columns[name], dtype=np.float32)[index] if n else np.zeros(0, np.float32)
            for name in self.COLUMNS
        }
        last = self.last
        if last is not None and (n == 0 or out["epoch"][-1] != last.epoch):
            out = {name: np.append(out[name], np.float32(v)) for name, v in zip(self.COLUMNS, last.row())}
        return out
