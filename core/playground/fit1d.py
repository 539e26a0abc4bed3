"""1-D function fitting: a network with one input and one linear output learns y = f(x), and each
unit of its last hidden layer shows what it adds to the curve.

With one hidden layer of activation g, weights w_j, biases b_j, output weights v_j and output bias c:

    y(x) = c + sum_j v_j * g(w_j * x + b_j)

so unit j contributes v_j * g(w_j x + b_j) and the curve is exactly c plus the sum of those
contributions. ReLU units are hinges, straight lines with one kink at x = -b_j / w_j; tanh units
are smooth steps. With several hidden layers a_j(x) is unit j of the LAST hidden layer (itself
built from the layers before it), and y(x) = c + sum_j v_j * a_j(x) still holds. With no hidden
layer the network is a line, y = c + v * x, and its one "contribution" is v * x.

The targets live on X_RANGE; the noisy sample is seeded (same seed, same points). Nothing here
imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from core.engine.network import Network
from core.engine.trainer import Trainer
from core.playground.build import build_network, trainer_options
from core.playground.config import PlaygroundConfig

X_RANGE = (-1.5, 1.5)  # where every target is drawn and fitted
Y_RANGE = (-3.0, 3.0)  # where a clicked point may be
GRID_POINTS = 301  # the fitted curve is drawn on this many x values
MIN_POINTS = 2  # fewer clicked points than this cannot show a fit
MAX_POINTS = 200
N_POINTS_RANGE = (10, 200)
NOISE_RANGE = (0.0, 0.5)  # standard deviation of the Gaussian noise added to y

TARGETS = MappingProxyType(
    {
        "sin": lambda x: np.sin(2.0 * x),
        "abs": np.abs,
        "cubic": lambda x: x**3 - x,
        "step": lambda x: np.where(x >= 0.0, 1.0, -1.0),
    }
)
TARGET_LABELS = MappingProxyType(
    {"sin": "sin(2x)", "abs": "|x|", "cubic": "x³ − x", "step": "step (−1, then +1)", "points": "your points"}
)


def target_values(name: str, x) -> np.ndarray:
    """f(x) of a named target, float32."""
    if name not in TARGETS:
        raise ValueError(f"unknown target {name!r}; choose one of {', '.join(TARGETS)}")
    return TARGETS[name](np.asarray(x, np.float32)).astype(np.float32)


def sample_target(name: str, n_points: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n_points seeded x values, uniform on X_RANGE, and y = f(x) + noise * N(0, 1).
    Returns x of shape (n, 1) and y of shape (n,), float32."""
    lo, hi = N_POINTS_RANGE
    if not lo <= int(n_points) <= hi:
        raise ValueError(f"the number of points must be between {lo} and {hi}; got {n_points}")
    if not NOISE_RANGE[0] <= float(noise) <= NOISE_RANGE[1]:
        raise ValueError(f"the noise must be between {NOISE_RANGE[0]} and {NOISE_RANGE[1]}; got {noise}")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(*X_RANGE, size=int(n_points))).astype(np.float32)
    y = target_values(name, x) + np.float32(noise) * rng.standard_normal(x.shape[0]).astype(np.float32)
    return x[:, None], y.astype(np.float32)


def validate_points(points) -> tuple[np.ndarray, np.ndarray]:
    """The student's clicked (x, y) pairs as arrays x (n, 1), y (n,). Raises ValueError saying
    what is wrong: too few or too many points, a value that is not a finite number, or a point
    outside X_RANGE x Y_RANGE."""
    try:
        xy = np.asarray(list(points), dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("each point must be a pair of numbers (x, y)") from None
    if xy.size == 0:
        xy = xy.reshape(0, 2)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ValueError("each point must be a pair of numbers (x, y)")
    if len(xy) < MIN_POINTS:
        raise ValueError(f"click at least {MIN_POINTS} points to fit a curve (now {len(xy)})")
    if len(xy) > MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS} points; got {len(xy)}")
    if not np.isfinite(xy).all():
        raise ValueError("every point's x and y must be finite numbers (no NaN or infinity)")
    (x_lo, x_hi), (y_lo, y_hi) = X_RANGE, Y_RANGE
    inside = (xy[:, 0] >= x_lo) & (xy[:, 0] <= x_hi) & (xy[:, 1] >= y_lo) & (xy[:, 1] <= y_hi)
    if not inside.all():
        raise ValueError(f"points must have x in [{x_lo}, {x_hi}] and y in [{y_lo}, {y_hi}]")
    return xy[:, :1].astype(np.float32), xy[:, 1].astype(np.float32)


def fit_network(config: PlaygroundConfig) -> Network:
    """The sidebar's hidden layers and activations, seeded, with 1 input and 1 linear output."""
    return build_network(replace(config, head="linear_mse"), 1, "linear_mse", 1)


def fit_trainer(config: PlaygroundConfig, x: np.ndarray, y: np.ndarray) -> Trainer:
    """The engine's Trainer on (x, y) with the sidebar's hyperparameters (squared error loss)."""
    return Trainer(fit_network(config), x, y, **trainer_options(config, len(x)), seed=config.seed)


@dataclass(frozen=True)
class FitCurve:
    """The fitted curve on a grid and what each unit of the last hidden layer adds to it:
    y_hat == bias + contributions.sum(axis=1) (up to float32 rounding)."""

    x: np.ndarray  # (g,) the grid
    y_hat: np.ndarray  # (g,) the network's output
    contributions: np.ndarray  # (g, units) v_j * a_j(x)
    bias: float  # the output bias c
    hidden_layers: int  # 0: the contribution is the line v * x


def grid(n: int = GRID_POINTS) -> np.ndarray:
    return np.linspace(*X_RANGE, n, dtype=np.float32)


def fit_curve(network: Network, x_grid: np.ndarray | None = None) -> FitCurve:
    """The curve and the last hidden layer's contributions v_j * a_j(x) on x_grid (one trace pass)."""
    x = grid() if x_grid is None else np.asarray(x_grid, np.float32)
    X = x[:, None]
    traces = network.trace(X)
    last_hidden = X if len(traces) == 1 else traces[-2].a  # traces[-1] is the output layer
    v = network.weights[-1][:, 0]
    return FitCurve(
        x=x,
        y_hat=traces[-1].a[:, 0],
        contributions=last_hidden * v,
        bias=float(network.biases[-1][0]),
        hidden_layers=len(network.layer_sizes) - 2,
    )


def r_squared(y, y_hat) -> float:
    """R² = 1 - SS_res / SS_tot: 1 is a perfect fit, 0 no better than the mean of y."""
    y, y_hat = np.asarray(y, np.float64), np.asarray(y_hat, np.float64)
    total = float(np.sum((y - y.mean()) ** 2))
    residual = float(np.sum((y - y_hat) ** 2))
    return 1.0 - residual / total if total > 0 else (1.0 if residual == 0 else 0.0)
