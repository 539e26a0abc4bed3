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


def click_points(drawn: list, x: float, y: float, label: int, on_point: bool, max_points: int) -> str | None:
    """A click on the "Your points" plane at (x, y), edited in place in `drawn` ((x, y, label)
    triples): on a point, the drawn point nearest to the click goes; elsewhere a point of class
    `label` is added (at most `max_points`). Returns what happened ("added", "removed") or None.
    Coordinates are kept to 2 decimals, as the link carries them."""
    if not (np.isfinite(x) and np.isfinite(y)):
        return None
    x, y = round(float(x), 2), round(float(y), 2)
    if on_point:
        if not drawn:
            return None
        nearest = min(range(len(drawn)), key=lambda i: (drawn[i][0] - x) ** 2 + (drawn[i][1] - y) ** 2)
        drawn.pop(nearest)
        return "removed"
    if len(drawn) >= max_points or not (PLANE[0] <= x <= PLANE[1] and PLANE[0] <= y <= PLANE[1]):
        return None
    drawn.append((x, y, int(label)))
    return "added"
