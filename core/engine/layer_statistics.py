"""Training health, per layer: what each layer's units output on a sample, and how big its weights are.

For a Network and a sample of inputs (at most a few hundred points: this runs while training
plays), `layer_statistics` measures per layer:

- the activation histogram, on fixed bins suited to the activation: [0, 1] for sigmoid, [-1, 1]
  for tanh, [0, max a] for ReLU, [min a, max a] otherwise (`HISTOGRAM_BINS` bins);
- the share of DEAD units (ReLU layers): a unit whose output is exactly 0 on every point of the
  sample (the same definition as core/playground/health.py's dead layer, unit by unit): no
  gradient flows through it, so it cannot learn again;
- the share of SATURATED units (tanh / sigmoid layers): a unit is saturated when, on at least
  `SATURATED_SHARE` (95 %) of the points, tanh gives |a| > 0.99, or sigmoid gives a < 0.01 or
  a > 0.99. There f'(z) < 0.02 (tanh: 1 - a² < 0.0199; sigmoid: a (1 - a) < 0.0099), so the
  gradient through the unit almost vanishes;
- the weight norms ||W|| (Frobenius, sqrt of the sum of w²) and ||b||.

Gradient norms come from the trainer (`EpochRecord.grad_norms`); `GradientHistory` keeps a bounded,
decimated history of them for the log-scale chart (as core/playground/curves.py keeps the loss).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.engine.network import Network

HISTOGRAM_BINS = 20
SATURATED_SHARE = 0.95  # a unit is saturated when it is in its flat tails on this share of points
TANH_SATURATED = 0.99  # |a| above this
SIGMOID_SATURATED = 0.01  # a below this or above 1 - this
DEAD_ACTIVATIONS = ("relu",)
SATURATING_ACTIVATIONS = ("tanh", "sigmoid")


@dataclass(frozen=True)
class LayerStatistics:
    """One layer's health on a sample. `dead_share` is NaN for a layer that is not ReLU and
    `saturated_share` NaN for one that is not tanh or sigmoid (the output layer: both NaN)."""

    layer: int  # 0 = first hidden layer
    activation: str
    n_units: int
    counts: np.ndarray  # int64 (HISTOGRAM_BINS,): how many activations fall in each bin
    edges: np.ndarray  # float64 (HISTOGRAM_BINS + 1,)
    dead_share: float
    saturated_share: float
    weight_norm: float
    bias_norm: float


def histogram_range(activation: str, a: np.ndarray) -> tuple[float, float]:
    """The fixed bins' range for this activation: the function's own range where it has one."""
    if activation == "sigmoid":
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    high = float(np.max(a)) if a.size else 1.0
    if activation == "relu":
        return 0.0, high if high > 0 else 1.0
    low = float(np.min(a)) if a.size else 0.0
    return (low, low + 1.0) if high <= low else (low, high)


def dead_share(a: np.ndarray) -> float:
    """Share of units (columns of a) that output 0 on every row."""
    return float(np.mean(~np.any(a > 0, axis=0)))


def saturated_share(activation: str, a: np.ndarray) -> float:
    """Share of units (columns of a) in their flat tails on >= SATURATED_SHARE of the rows."""
    if activation == "tanh":
        tails = np.abs(a) > TANH_SATURATED
    else:  # sigmoid
        tails = (a < SIGMOID_SATURATED) | (a > 1.0 - SIGMOID_SATURATED)
    return float(np.mean(np.mean(tails, axis=0) >= SATURATED_SHARE))


def layer_statistics(network: Network, X: np.ndarray) -> list[LayerStatistics]:
    """Per layer (hidden layers, then the output layer), its health on the sample X."""
    traces = network.trace(X)
    names = network.layer_activation_names
    n_hidden = len(network.layers) - 1
    out = []
    for index, (layer, trace, name) in enumerate(zip(network.layers, traces, names)):
        a = trace.a
        counts, edges = np.histogram(a, bins=HISTOGRAM_BINS, range=histogram_range(name, a))
        hidden = index < n_hidden
        out.append(
            LayerStatistics(
                layer=index,
                activation=name,
                n_units=layer.n_out,
                counts=counts,
                edges=edges,
                dead_share=dead_share(a) if hidden and name in DEAD_ACTIVATIONS else math.nan,
                saturated_share=(
                    saturated_share(name, a) if hidden and name in SATURATING_ACTIVATIONS else math.nan
                ),
                weight_norm=float(np.linalg.norm(layer.weights)),
                bias_norm=float(np.linalg.norm(layer.bias)),
            )
        )
    return out


class GradientHistory:
    """Per-layer gradient norms over epochs, of bounded size however long training runs.

    Keeps every `stride`-th epoch; when more than `max_points` are kept, every other one is
    dropped and the stride doubles (as CurveHistory does for the loss).
    """

    def __init__(self, max_points: int = 400):
        self.max_points = int(max_points)
        self.stride = 1
        self.epochs: list[int] = []
        self.norms: list[tuple] = []

    def __len__(self) -> int:
        return len(self.epochs)

    def add(self, records) -> None:
        """Append EpochRecords, in epoch order."""
        for record in records:
            if record.epoch % self.stride:
                continue
            self.epochs.append(int(record.epoch))
            self.norms.append(tuple(record.grad_norms))
            if len(self.epochs) > self.max_points:
                self.stride *= 2
                keep = [i for i, epoch in enumerate(self.epochs) if epoch % self.stride == 0]
                self.epochs = [self.epochs[i] for i in keep]
                self.norms = [self.norms[i] for i in keep]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """epochs (n,) and norms (n, n_layers) as float arrays (empty: (0,) and (0, 0))."""
        if not self.epochs:
            return np.zeros(0), np.zeros((0, 0))
        return np.asarray(self.epochs, dtype=np.float64), np.asarray(self.norms, dtype=np.float64)


def sample_rows(X: np.ndarray, limit: int = 500) -> np.ndarray:
    """At most `limit` evenly spaced rows of X (a view when X is short enough: no copy)."""
    if len(X) <= limit:
        return X
    return X[np.linspace(0, len(X) - 1, limit).astype(np.int64)]
