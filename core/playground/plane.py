"""The plane the Playground draws: its extent, and the grid of points the boundary is evaluated on."""

from __future__ import annotations

import numpy as np

from core.data import Dataset2D
from core.playground.config import PLANE


def grid_points(extent, resolution: int) -> np.ndarray:
    """(resolution², 2) float32 points covering the extent; row-major with y growing by row, so
    `values.reshape(resolution, resolution)[i, j]` is at (xs[j], ys[i]) and row 0 is at the bottom."""
    x_lo, x_hi, y_lo, y_hi = extent
    xs = np.linspace(x_lo, x_hi, resolution, dtype=np.float32)
    ys = np.linspace(y_lo, y_hi, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def plane_extent(dataset: Dataset2D, source: str) -> tuple[float, float, float, float]:
    """The square shown: TF Playground's [-6, 6]² for generated and clicked data; for uploads,
    the data's own range plus a margin."""
    if source != "csv":
        return (PLANE[0], PLANE[1], PLANE[0], PLANE[1])
    X = np.vstack([dataset.X_train, dataset.X_test]).astype(np.float64)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.maximum((hi - lo) * 0.1, 1e-3)
    return (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))
