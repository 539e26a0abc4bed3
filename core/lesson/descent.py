"""Gradient descent on a loss you can see: a 1-D bowl, a 2-D bowl and a ravine.

The surfaces are quadratics, L(p) = 1/2 * sum_i c_i p_i^2, so a student can see the whole loss,
and every step is taken by the engine's own `SGD` optimizer (p -= lr g) on a parameter vector.
On such a surface each coordinate is multiplied by (1 - lr c_i) per step, which is why the
same learning rate can crawl (factor near 1), converge (factor near 0), zig-zag (factor
between -1 and 0) or blow up (factor below -1). The regime's name is read off the computed
path, not off that formula: see `name_regime`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.optimizers import SGD


@dataclass(frozen=True)
class Surface:
    """L(p) = 1/2 * sum_i curvature_i * p_i^2, one curvature per parameter."""

    name: str
    curvatures: tuple[float, ...]
    start: tuple[float, ...]

    @property
    def dimensions(self) -> int:
        return len(self.curvatures)

    def loss(self, p) -> float:
        p = np.asarray(p, dtype=np.float64)
        return float(0.5 * np.sum(np.asarray(self.curvatures) * p * p))

    def gradient(self, p) -> np.ndarray:
        """dL/dp_i = c_i p_i."""
        return np.asarray(self.curvatures, dtype=np.float64) * np.asarray(p, dtype=np.float64)

    def grid(self, extent: float, points: int = 61):
        """(xs, ys, L on the grid) for a contour plot of a 2-D surface."""
        xs = np.linspace(-extent, extent, points)
        ys = np.linspace(-extent, extent, points)
        gx, gy = np.meshgrid(xs, ys)
        c1, c2 = self.curvatures
        return xs, ys, 0.5 * (c1 * gx * gx + c2 * gy * gy)


SURFACES = {
    "1-D bowl": Surface("1-D bowl", (1.0,), (2.0,)),
    "2-D bowl": Surface("2-D bowl", (1.0, 1.0), (2.0, 1.5)),
    "ravine": Surface("ravine", (1.0, 20.0), (2.0, 0.5)),
}

REGIMES = {
    "too small": "the loss falls, but after all these steps it is still far from the bottom",
    "good": "the loss falls steadily to (nearly) the bottom",
    "oscillating": "the steps overshoot: they flip direction every step, yet the loss still falls",
    "diverging": "every overshoot lands higher than the last: the loss grows without bound",
}
TOO_SMALL_FRACTION = 0.1  # 'too small' when the final loss is still above 10% of the starting loss


@dataclass(frozen=True)
class DescentPath:
    surface: Surface
    learning_rate: float
    points: np.ndarray  # (steps + 1, dimensions): the start, then p after every step
    losses: np.ndarray  # (steps + 1,)
    regime: str

    @property
    def loss_ratios(self) -> np.ndarray:
        """L_{k+1} / L_k per step (below 1: the step helped)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.losses[1:] / self.losses[:-1]


def _flips_direction(steps: np.ndarray) -> bool:
    """True when some coordinate's step changes sign in most consecutive pairs of steps."""
    if len(steps) < 2:
        return False
    signs = np.sign(steps)
    flips = (signs[1:] * signs[:-1]) < 0
    return bool(np.any(flips.mean(axis=0) > 0.5))


def name_regime(points: np.ndarray, losses: np.ndarray) -> str:
    """The regime of a computed path, from its losses and the signs of its steps."""
    if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
        return "diverging"
    if _flips_direction(np.diff(points, axis=0)):
        return "oscillating"
    if losses[-1] > TOO_SMALL_FRACTION * losses[0]:
        return "too small"
    return "good"


def descend(surface: Surface, learning_rate: float, steps: int = 20) -> DescentPath:
    """`steps` updates of the engine's SGD from the surface's start."""
    optimizer = SGD(learning_rate)
    p = np.array(surface.start, dtype=np.float64)
    points, losses = [p.copy()], [surface.loss(p)]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            optimizer.update([p], [surface.gradient(p)])
            points.append(p.copy())
            losses.append(surface.loss(p))
    points, losses = np.array(points), np.array(losses)
    return DescentPath(surface, float(learning_rate), points, losses, name_regime(points, losses))
